using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Mempool;
using NexusFast.Engine.Tests.Vm.Toolchain;
using static NexusFast.Engine.Tests.Execution.Contracts.ContractTestChain;

namespace NexusFast.Engine.Tests.Execution.Contracts;

/// <summary>contracts/multisig.c (2 of 3 owners) through the executor: deposits, submit/confirm/revoke/execute, and calls it makes.</summary>
public class MultisigContractTests
{
    private const uint Submit = 0x14de327f, Confirm = 0xba0179b5, Revoke = 0x20c5429b, Execute = 0xfe0d94c1,
        IsOwner = 0x2f54bf6e, GetTransaction = 0x33ea3dc8;

    private static readonly Address Bob = TxPoolTests.Sender(31);
    private static readonly Address Carol = TxPoolTests.Sender(32);
    private static readonly Address Dave = TxPoolTests.Sender(33);
    private static string MultisigSource => RepositoryPaths.PathOf("contracts", "multisig.c");

    private static Hash256 Topic(string signature) => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(signature));

    /// <summary>abi.encode(uint256 threshold, address[] owners).</summary>
    private static byte[] Constructor(ulong threshold, params Address[] owners)
    {
        var words = new List<Hash256> { Word(threshold), Word(64), Word((ulong)owners.Length) };
        words.AddRange(owners.Select(Word));
        return [.. words.SelectMany(w => w.ToArray())];
    }

    /// <summary>submit(to, value, data): the head words, then the bytes' length and its zero-padded words.</summary>
    private static byte[] SubmitInput(Address to, ulong value, byte[] data)
    {
        byte[] head = Input(Submit, Word(to), Word(value), Word(96), Word((ulong)data.Length));
        byte[] padded = new byte[(data.Length + 31) / 32 * 32];
        data.CopyTo(padded, 0);
        return [.. head, .. padded];
    }

    private static (ContractTestChain Chain, Address Wallet) Deploy()
    {
        var chain = new ContractTestChain();
        chain.Fund(Bob);
        chain.Fund(Carol);
        Receipt receipt = chain.Deploy(Compile(MultisigSource), Constructor(2, Alice, Bob, Carol));
        Assert.True(receipt.Success, chain.LastFailure);
        return (chain, receipt.ContractAddress!.Value);
    }

    [ClangFact]
    public void Two_of_three_owners_move_deposited_wei_and_a_transaction_runs_once()
    {
        (ContractTestChain chain, Address wallet) = Deploy();
        using (chain)
        {
            Receipt deposit = chain.Send(wallet, [], 100_000, value: 1_000);
            Assert.True(deposit.Success, chain.LastFailure);
            Assert.Equal(Topic("Deposit(address,uint256)"), Assert.Single(deposit.Logs).Topics[0]);

            Receipt submitted = chain.Call(wallet, SubmitInput(Dave, 300, []));
            Assert.True(submitted.Success, chain.LastFailure);
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));
            Assert.Equal([Topic("Submission(uint256)"), Topic("Confirmation(address,uint256)")], submitted.Logs.Select(l => l.Topics[0]));

            Assert.False(chain.Call(wallet, Input(Execute, Word(0))).Success);
            Assert.Equal(Engine.Execution.Contracts.RevertReason.Encode("multisig: not enough confirmations"), chain.LastOutput);

            Assert.True(chain.Send(wallet, Input(Confirm, Word(0)), 200_000, sender: Bob).Success, chain.LastFailure);
            Receipt executed = chain.Send(wallet, Input(Execute, Word(0)), 500_000, sender: Carol);
            Assert.True(executed.Success, chain.LastFailure);
            Assert.Equal(Topic("Execution(uint256)"), Assert.Single(executed.Logs).Topics[0]);
            Assert.Equal(new UInt256(300), chain.Balance(Dave));
            Assert.Equal(new UInt256(700), chain.Balance(wallet));

            chain.Call(wallet, Input(GetTransaction, Word(0)));
            Assert.Equal([Word(Dave), Word(300), Word(1), Word(2)], Enumerable.Range(0, 4).Select(i => WordAt(chain.LastOutput, i)));
            Assert.False(chain.Call(wallet, Input(Execute, Word(0))).Success);
            Assert.Equal(Engine.Execution.Contracts.RevertReason.Encode("multisig: already executed"), chain.LastOutput);
            Assert.Equal(new UInt256(300), chain.Balance(Dave));
        }
    }

    [ClangFact]
    public void Only_owners_act_and_a_revoked_confirmation_no_longer_counts()
    {
        (ContractTestChain chain, Address wallet) = Deploy();
        using (chain)
        {
            chain.Fund(Dave);
            Assert.False(chain.Send(wallet, SubmitInput(Dave, 0, []), 300_000, sender: Dave).Success);
            Assert.Equal(Engine.Execution.Contracts.RevertReason.Encode("multisig: not an owner"), chain.LastOutput);
            chain.Call(wallet, Input(IsOwner, Word(Carol)));
            Assert.Equal(Word(1), WordAt(chain.LastOutput, 0));
            chain.Call(wallet, Input(IsOwner, Word(Dave)));
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));

            chain.Call(wallet, SubmitInput(Dave, 0, []));
            Assert.True(chain.Send(wallet, Input(Confirm, Word(0)), 200_000, sender: Bob).Success, chain.LastFailure);
            Receipt revoked = chain.Send(wallet, Input(Revoke, Word(0)), 200_000, sender: Bob);
            Assert.True(revoked.Success, chain.LastFailure);
            Assert.Equal([Topic("Revocation(address,uint256)"), Word(Bob), Word(0)], Assert.Single(revoked.Logs).Topics);
            Assert.False(chain.Call(wallet, Input(Execute, Word(0))).Success);
            Assert.Equal(Engine.Execution.Contracts.RevertReason.Encode("multisig: not enough confirmations"), chain.LastOutput);
        }
    }

    [ClangFact]
    public void An_executed_call_carries_its_data_and_a_reverting_destination_leaves_the_transaction_pending()
    {
        (ContractTestChain chain, Address wallet) = Deploy();
        using (chain)
        {
            Address probe = chain.Deploy(Compile(ProbeSource), Word(1).ToArray()).ContractAddress!.Value;
            chain.Call(wallet, SubmitInput(probe, 0, Input(1, Word(5))));           // probe.set(5)
            chain.Call(wallet, SubmitInput(probe, 0, Input(3, Word(9))));           // probe's set-then-revert
            chain.Send(wallet, Input(Confirm, Word(0)), 200_000, sender: Bob);
            chain.Send(wallet, Input(Confirm, Word(1)), 200_000, sender: Bob);

            Receipt first = chain.Call(wallet, Input(Execute, Word(0)));
            Assert.True(first.Success, chain.LastFailure);
            Assert.Equal(Word(5), chain.Storage(probe, 0));
            Assert.Equal([probe, wallet], first.Logs.Select(l => l.Address));

            Receipt second = chain.Call(wallet, Input(Execute, Word(1)));
            Assert.False(second.Success);
            Assert.Equal(Engine.Execution.Contracts.RevertReason.Encode("nope"), chain.LastOutput);
            Assert.Equal(Word(5), chain.Storage(probe, 0));
            chain.Call(wallet, Input(GetTransaction, Word(1)));
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 2));
        }
    }

    [ClangTheory]
    [InlineData(0UL, "multisig: threshold must be between 1 and the number of owners")]
    [InlineData(4UL, "multisig: threshold must be between 1 and the number of owners")]
    public void A_constructor_with_a_bad_threshold_fails_the_creation(ulong threshold, string reason)
    {
        using var chain = new ContractTestChain();
        Receipt receipt = chain.Deploy(Compile(MultisigSource), Constructor(threshold, Alice, Bob, Carol));
        Assert.False(receipt.Success);
        Assert.Equal(Engine.Execution.Contracts.RevertReason.Encode(reason), chain.LastOutput);
    }

    [ClangFact]
    public void A_constructor_with_a_duplicate_owner_fails_the_creation()
    {
        using var chain = new ContractTestChain();
        Receipt receipt = chain.Deploy(Compile(MultisigSource), Constructor(1, Alice, Bob, Alice));
        Assert.False(receipt.Success);
        Assert.Equal(Engine.Execution.Contracts.RevertReason.Encode("multisig: duplicate owner"), chain.LastOutput);
    }
}
