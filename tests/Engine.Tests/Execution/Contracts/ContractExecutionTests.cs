using System.Security.Cryptography;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Mempool;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Interop.Secp256k1;
using static NexusFast.Engine.Tests.Execution.Contracts.ContractTestChain;

namespace NexusFast.Engine.Tests.Execution.Contracts;

/// <summary>
/// Deploys probe.c (compiled with clang-14 at test time) into a real state store and calls it through the executor:
/// creation, storage, logs, reverts, calls between contracts, the depth limit, gas exhaustion and every host function.
/// </summary>
public class ContractExecutionTests
{
    private const uint Set = 1, Get = 2, SetThenRevert = 3, Forward = 4, Recurse = 5, Spin = 6, Context = 7, Hashes = 8,
        Recover = 9, Pay = 10, BalanceOf = 11, Fault = 12;

    private static readonly Hash256 TopicSet = new([0x5e, 0x70, .. new byte[30]]);

    private static (ContractTestChain Chain, Address Contract) DeployProbe(ulong initial = 42, ulong value = 0)
    {
        var chain = new ContractTestChain();
        Receipt receipt = chain.Deploy(Compile(ProbeSource), Word(initial).ToArray(), value: value);
        Assert.True(receipt.Success, chain.LastFailure);
        return (chain, receipt.ContractAddress!.Value);
    }

    [Fact]
    public void The_creation_address_is_keccak_of_the_rlp_of_sender_and_nonce_as_in_ethereum()
    {
        // The example of the Ethereum Yellow Paper's readers (and of every client's tests): sender 0x6ac7...dbf0.
        Address sender = Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        Assert.Equal(Address.Parse("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"), ContractAddress.ForCreation(sender, 0));
        Assert.Equal(Address.Parse("0x343c43a37d37dff08ae8c4a11544c718abb4fcf8"), ContractAddress.ForCreation(sender, 1));
        Assert.Equal(Address.Parse("0xf778b86fa74e846c4f0a1fbd1335fe81c00a0c91"), ContractAddress.ForCreation(sender, 2));
    }

    [ClangFact]
    public void A_creation_stores_the_object_runs_the_constructor_and_reports_the_address()
    {
        using var chain = new ContractTestChain();
        byte[] elf = Compile(ProbeSource);
        UInt256 before = chain.Balance(Alice);

        Receipt receipt = chain.Deploy(elf, Word(42).ToArray());

        Address expected = ContractAddress.ForCreation(Alice, 0);
        Assert.True(receipt.Success, chain.LastFailure);
        Assert.Equal(expected, receipt.ContractAddress);
        Assert.Equal(elf, chain.Code(expected));
        Assert.Equal(Keccak256.Compute(elf), chain.Account(expected).CodeHash);
        Assert.Equal(1UL, chain.Account(expected).Nonce);
        Assert.Equal(Word(42), chain.Storage(expected, 1));
        Assert.Equal(Word(Alice), chain.Storage(expected, 2));
        // Intrinsic gas of the data, 200 per byte of stored object, and the constructor's own run.
        ulong intrinsic = IntrinsicGas.Compute(DeploymentData.Build(elf, Word(42).ToArray()), true, AccessListEntry.None);
        Assert.InRange(receipt.GasUsed, intrinsic + (ulong)elf.Length * 200 + 1, intrinsic + (ulong)elf.Length * 200 + 100_000);
        Assert.Equal(before - new UInt256(receipt.GasUsed) * Price, chain.Balance(Alice));
    }

    [ClangFact]
    public void A_constructor_that_reverts_fails_the_creation_leaves_no_code_and_still_pays_gas()
    {
        using var chain = new ContractTestChain();
        Receipt receipt = chain.Deploy(Compile(ProbeSource), []); // the constructor wants one word

        Address address = ContractAddress.ForCreation(Alice, 0);
        Assert.False(receipt.Success);
        Assert.Equal(address, receipt.ContractAddress);
        Assert.Equal(ErrorData("constructor takes one word"), chain.LastOutput);
        Assert.False(chain.Account(address).HasCode);
        Assert.Equal(1UL, chain.Account(Alice).Nonce);
        Assert.True(receipt.GasUsed < 10_000_000, "a revert refunds the gas it did not use");
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 9, 1, 2, 3 })]
    [InlineData(new byte[] { 0, 0, 0, 4, 0x7f, (byte)'E', (byte)'L', (byte)'F' })]
    public void Creation_data_that_is_not_a_loadable_object_fails_the_creation_and_consumes_its_gas(byte[] data)
    {
        using var chain = new ContractTestChain();
        Receipt receipt = chain.Send(null, data, 300_000);

        Assert.False(receipt.Success);
        Assert.Equal(300_000UL, receipt.GasUsed);
        Assert.NotNull(chain.LastFailure);
        Assert.False(chain.Account(ContractAddress.ForCreation(Alice, 0)).HasCode);
        Assert.Equal(1UL, chain.Account(Alice).Nonce);
    }

    [ClangFact]
    public void An_object_the_verifier_refuses_fails_the_creation_with_the_reason()
    {
        using var chain = new ContractTestChain();
        byte[] elf = Compile(ProbeSource);
        // Corrupt the ELF header's machine field (offset 18): the loader refuses anything but EM_BPF.
        elf[18] ^= 0xff;
        Receipt receipt = chain.Deploy(elf, Word(1).ToArray());

        Assert.False(receipt.Success);
        Assert.Equal(10_000_000UL, receipt.GasUsed);
        Assert.StartsWith("ELF:", chain.LastFailure);
    }

    [ClangFact]
    public void A_call_writes_storage_and_its_log_reaches_the_receipt_and_bloom()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            Receipt receipt = chain.Call(contract, Input(Set, Word(7)));

            Assert.True(receipt.Success, chain.LastFailure);
            Assert.Equal(Word(7), chain.Storage(contract, 0));
            LogEntry log = Assert.Single(receipt.Logs);
            Assert.Equal(contract, log.Address);
            Assert.Equal([TopicSet], log.Topics);
            Assert.Equal(Word(7).ToArray(), log.Data);
            Assert.True(receipt.Bloom.ContainsKeccak(Keccak256.Compute(contract.Bytes).Bytes));
            Assert.True(receipt.Bloom.ContainsKeccak(Keccak256.Compute(TopicSet.Bytes).Bytes));

            chain.Call(contract, Input(Get));
            Assert.Equal(Word(7).ToArray(), chain.LastOutput);
        }
    }

    [ClangFact]
    public void A_revert_undoes_the_writes_and_logs_returns_error_data_and_pays_only_the_gas_used()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            chain.Call(contract, Input(Set, Word(7)));
            UInt256 before = chain.Balance(Alice);

            Receipt receipt = chain.Call(contract, Input(SetThenRevert, Word(9)), gas: 500_000);

            Assert.False(receipt.Success);
            Assert.Empty(receipt.Logs);
            Assert.True(receipt.Bloom.IsEmpty);
            Assert.Equal(Word(7), chain.Storage(contract, 0));
            Assert.Equal(ErrorData("nope"), chain.LastOutput);
            Assert.InRange(receipt.GasUsed, 21_001UL, 100_000UL);
            Assert.Equal(before - new UInt256(receipt.GasUsed) * Price, chain.Balance(Alice));
        }
    }

    [ClangFact]
    public void A_callee_that_reverts_loses_its_writes_while_the_caller_keeps_its_own_and_sees_the_revert_data()
    {
        (ContractTestChain chain, Address caller) = DeployProbe();
        using (chain)
        {
            Address callee = chain.Deploy(Compile(ProbeSource), Word(1).ToArray()).ContractAddress!.Value;

            Receipt receipt = chain.Call(caller, Input(Forward, Word(callee), Word(SetThenRevert), Word(5)));

            Assert.True(receipt.Success, chain.LastFailure);
            Assert.Equal(Word(1), chain.Storage(caller, 5));
            Assert.True(chain.Storage(callee, 0).IsZero);
            Assert.Empty(receipt.Logs);
            byte[] error = ErrorData("nope");
            Assert.Equal(Word(1), WordAt(chain.LastOutput, 0));
            Assert.Equal(Word((ulong)error.Length), WordAt(chain.LastOutput, 1));
            Assert.Equal(error, chain.LastOutput[64..]);

            receipt = chain.Call(caller, Input(Forward, Word(callee), Word(Set), Word(6)));
            Assert.True(receipt.Success, chain.LastFailure);
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));
            Assert.Equal(Word(6), chain.Storage(callee, 0));
            Assert.Equal(callee, Assert.Single(receipt.Logs).Address);
        }
    }

    [ClangFact]
    public void Calls_between_contracts_stop_at_the_depth_limit_and_the_deepest_frame_sees_the_failure()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            Receipt receipt = chain.Call(contract, Input(Recurse, Word(0)), gas: 20_000_000);

            Assert.True(receipt.Success, chain.LastFailure);
            Assert.Equal(Word(ContractRunner.MaxCallDepth - 1), chain.Storage(contract, 4));
        }
    }

    [ClangFact]
    public void Running_out_of_gas_fails_the_call_and_consumes_all_its_gas()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            chain.Call(contract, Input(Set, Word(3)));
            Receipt receipt = chain.Call(contract, Input(Spin), gas: 100_000);

            Assert.False(receipt.Success);
            Assert.Equal(100_000UL, receipt.GasUsed);
            Assert.Equal("out of gas", chain.LastFailure);
            Assert.Equal(Word(3), chain.Storage(contract, 0));
        }
    }

    [ClangFact]
    public void A_memory_fault_fails_the_call_and_names_the_address()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            Receipt receipt = chain.Call(contract, Input(Fault), gas: 100_000);

            Assert.False(receipt.Success);
            Assert.Equal(100_000UL, receipt.GasUsed);
            Assert.Contains("memory fault at 0x10", chain.LastFailure);
        }
    }

    [ClangFact]
    public void The_context_functions_report_caller_origin_self_value_block_and_time()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            Receipt receipt = chain.Call(contract, Input(Context), value: 5);

            Assert.True(receipt.Success, chain.LastFailure);
            byte[] output = chain.LastOutput;
            Assert.Equal(Word(Alice), WordAt(output, 0));
            Assert.Equal(Word(Alice), WordAt(output, 1));
            Assert.Equal(Word(contract), WordAt(output, 2));
            Assert.Equal(Word(5), WordAt(output, 3));
            Assert.Equal(Word(chain.BlockNumber), WordAt(output, 4));
            Assert.Equal(Word(Timestamp + chain.BlockNumber), WordAt(output, 5));
            Assert.Equal(new UInt256(5), chain.Balance(contract));
        }
    }

    [ClangFact]
    public void Keccak_and_sha256_match_the_reference_implementations()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            byte[] data = new byte[100];
            new Random(7).NextBytes(data);
            byte[] input = [0, 0, 0, (byte)Hashes, .. data];
            chain.Call(contract, input);

            Assert.Equal(Keccak256.Compute(data), WordAt(chain.LastOutput, 0));
            Assert.Equal(new Hash256(SHA256.HashData(data)), WordAt(chain.LastOutput, 1));
        }
    }

    [ClangFact]
    public void Ecrecover_returns_the_signer_of_a_canonical_signature_and_fails_on_a_bad_v()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            // Private key 1: its address is the generator point's, 0x7e5f...5bdf.
            byte[] secret = new byte[32];
            secret[31] = 1;
            Hash256 hash = Keccak256.Compute("nexus"u8);
            byte[] signature = new byte[64];
            Secp256k1.SignRecoverable(hash.Bytes, secret, signature, out byte recoveryId);

            chain.Call(contract, Input(Recover, hash, Word(27u + recoveryId), new Hash256(signature.AsSpan(0, 32)), new Hash256(signature.AsSpan(32))));
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));
            Assert.Equal(Word(Address.Parse("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")), WordAt(chain.LastOutput, 1));

            chain.Call(contract, Input(Recover, hash, Word(29), new Hash256(signature.AsSpan(0, 32)), new Hash256(signature.AsSpan(32))));
            Assert.Equal(Word(1), WordAt(chain.LastOutput, 0));
        }
    }

    /// <summary>
    /// The malleated twin of a valid signature (s replaced by n - s, v flipped) recovers the same signer under
    /// Ethereum's ecrecover precompile; nexus_ecrecover refuses it (result 1), as EIP-2 does for transactions and as
    /// OpenZeppelin's ECDSA.recover does in Solidity, so a contract cannot be fooled by a second valid-looking copy of a
    /// signature it has already consumed.
    /// </summary>
    [ClangFact]
    public void Ecrecover_refuses_the_high_s_twin_of_a_signature_it_accepts()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            byte[] secret = new byte[32];
            secret[31] = 7;
            Hash256 hash = Keccak256.Compute("malleable"u8);
            byte[] signature = new byte[64];
            Secp256k1.SignRecoverable(hash.Bytes, secret, signature, out byte recoveryId);
            byte[] highS = Support.Secp256k1Math.WithHighS(signature);

            chain.Call(contract, Input(Recover, hash, Word(27u + recoveryId), new Hash256(signature.AsSpan(0, 32)), new Hash256(signature.AsSpan(32))));
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));

            foreach (uint v in new uint[] { 27u + (recoveryId ^ 1u), 27u + recoveryId })
            {
                chain.Call(contract, Input(Recover, hash, Word(v), new Hash256(highS.AsSpan(0, 32)), new Hash256(highS.AsSpan(32))));
                Assert.Equal(Word(1), WordAt(chain.LastOutput, 0));
                Assert.Equal(Word(0), WordAt(chain.LastOutput, 1));
            }
        }
    }

    [ClangFact]
    public void A_contract_pays_out_of_its_balance_and_a_payment_it_cannot_cover_changes_nothing()
    {
        (ContractTestChain chain, Address contract) = DeployProbe(value: 1_000);
        using (chain)
        {
            Address bob = TxPoolTests.Sender(77);
            Assert.Equal(new UInt256(1_000), chain.Balance(contract));

            chain.Call(contract, Input(Pay, Word(bob), Word(400)));
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));
            chain.Call(contract, Input(Pay, Word(bob), Word(10_000)));
            Assert.Equal(Word(1), WordAt(chain.LastOutput, 0));

            Assert.Equal(new UInt256(400), chain.Balance(bob));
            chain.Call(contract, Input(BalanceOf, Word(contract)));
            Assert.Equal(Word(600), WordAt(chain.LastOutput, 0));
        }
    }

    [ClangFact]
    public void Code_survives_the_program_cache_being_emptied_because_it_is_read_back_from_state()
    {
        (ContractTestChain chain, Address contract) = DeployProbe();
        using (chain)
        {
            chain.Call(contract, Input(Set, Word(11)));
            chain.DropProgramCache();
            Receipt receipt = chain.Call(contract, Input(Get));
            Assert.True(receipt.Success, chain.LastFailure);
            Assert.Equal(Word(11).ToArray(), chain.LastOutput);
        }
    }

    [ClangFact]
    public void The_counter_sample_deploys_without_a_constructor_and_counts()
    {
        using var chain = new ContractTestChain();
        Receipt deployed = chain.Deploy(Compile(RepositoryPaths.PathOf("contracts", "counter.c")), []);
        Assert.True(deployed.Success, chain.LastFailure);
        Address counter = deployed.ContractAddress!.Value;
        for (int i = 0; i < 3; i++) Assert.True(chain.Call(counter, Input(0xd09de08a)).Success, chain.LastFailure);
        chain.Call(counter, Input(0x6d4ce63c));
        Assert.Equal(Word(3).ToArray(), chain.LastOutput);
        Assert.False(chain.Call(counter, Input(0x12345678)).Success);
        Assert.Equal(RevertReason.Encode("unknown selector"), chain.LastOutput);
    }
}
