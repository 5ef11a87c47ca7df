using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;
using Xunit.Abstractions;
using static NexusFast.Engine.Tests.Ledger.TransactionVectors;

namespace NexusFast.Engine.Tests.Ledger;

/// <summary>
/// ethers/transaction-subset.json (README section 4): every entry in its four serialisations, decoded, re-encoded,
/// hashed, recovered and signed again, against the bytes ethers produced.
/// </summary>
public class EthersTransactionTests
{
    private readonly ITestOutputHelper _output;

    public EthersTransactionTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// Every (entry, serialisation) pair except the EIP-155 serialisation of entries whose chainId is absent or "0x":
    /// ethers builds that chain-id-0 preimage with a non-canonical 0x00 byte, so no canonical encoder reproduces its
    /// signing hash, and v = 35/36 (chain id 0) is invalid on every real chain (README section 4, "Edge case to skip").
    /// </summary>
    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (EthersEntry entry in Ethers.Values)
        {
            foreach (string kind in EthersKinds)
            {
                if (kind == "Eip155" && !entry.HasUsableEip155) continue;
                data.Add(entry.Name, kind);
            }
        }
        return data;
    }

    [Fact]
    public void The_vector_file_yields_645_usable_pairs_of_175_entries()
    {
        int entries = Ethers.Count;
        int skipped = Ethers.Values.Count(e => !e.HasUsableEip155);
        int pairs = Pairs().Count;
        _output.WriteLine($"ethers transaction-subset: {entries} entries, {pairs} serialisations tested, {skipped} EIP-155 serialisations skipped (chainId absent or 0x)");
        foreach (string kind in EthersKinds)
        {
            _output.WriteLine($"  {kind}: {Pairs().Count(p => (string)p[1] == kind)}");
        }
        Assert.Equal(175, entries);
        Assert.Equal(55, skipped);
        Assert.Equal((175 * 4) - 55, pairs);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Decoding_a_signed_transaction_gives_its_fields_hash_signing_hash_and_sender_and_re_encodes_byte_identical(string name, string kind)
    {
        EthersEntry entry = Ethers[name];
        (byte[] unsigned, byte[] signed) = entry.Serialisations[kind];
        var tx = new Transaction();

        TxError error = TransactionDecoder.TryDecode(signed, tx, out string detail);

        Assert.True(error == TxError.None, $"{error}: {detail}");
        Assert.Equal(string.Empty, detail);
        Assert.Equal(signed, TransactionEncoder.Encode(tx));
        Assert.Equal(signed.Length, TransactionEncoder.GetEncodedLength(tx));
        Assert.Equal(signed.Length, tx.EncodedLength);
        Assert.Equal(Keccak256.Compute(signed), tx.Hash);
        Assert.Equal(Keccak256.Compute(signed), TransactionEncoder.ComputeHash(tx));

        AssertFieldsEqualInputs(entry, kind, tx);

        Assert.Equal(unsigned.Length, TransactionEncoder.GetSigningPayloadLength(tx));
        var payload = new byte[unsigned.Length];
        Assert.Equal(unsigned.Length, TransactionEncoder.EncodeSigningPayload(tx, payload));
        Assert.Equal(unsigned, payload);
        Assert.Equal(Keccak256.Compute(unsigned), TransactionEncoder.ComputeSigningHash(tx));

        Assert.False(tx.HasSender);
        Assert.True(SenderRecovery.TryRecoverSender(tx));
        Assert.True(tx.HasSender);
        Assert.Equal(AddressOf(entry.PrivateKey), tx.Sender);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Signing_the_inputs_with_the_private_key_reproduces_the_signed_bytes(string name, string kind)
    {
        EthersEntry entry = Ethers[name];
        byte[] signed = entry.Serialisations[kind].Signed;
        Transaction tx = entry.BuildUnsigned(kind);

        TransactionSigner.Sign(tx, entry.PrivateKey);

        Assert.Equal(signed, TransactionEncoder.Encode(tx));
        Assert.Equal(Keccak256.Compute(signed), tx.Hash);
        Assert.Equal(signed.Length, tx.EncodedLength);
        Assert.True(tx.HasSender);
        Assert.Equal(AddressOf(entry.PrivateKey), tx.Sender);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Replay_protection_decides_chain_checks_and_rpc_policy(string name, string kind)
    {
        EthersEntry entry = Ethers[name];
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(entry.Serialisations[kind].Signed, tx, out _));
        ulong otherChain = tx.ChainId + 1;
        var strict = new ChainConfig { ChainId = otherChain };
        var permissive = strict with { AllowUnprotectedTransactions = true };

        if (kind == "Legacy")
        {
            // Unprotected legacy (v 27/28) is consensus-valid on every chain: no chain-id error from the consensus
            // rules, a sender that recovers, and refusal only by the RPC admission policy unless it is switched off.
            Assert.True(tx.IsUnprotectedLegacy);
            Assert.True(tx.V is 27 or 28);
            Assert.Equal(0ul, tx.ChainId);
            Assert.NotEqual(TxError.WrongChainId, TransactionRules.CheckConsensus(tx, strict));
            Assert.Equal(TxError.UnprotectedNotAllowed, TransactionRules.CheckPolicy(tx, strict));
            Assert.NotEqual(TxError.UnprotectedNotAllowed, TransactionRules.CheckPolicy(tx, permissive));
            Assert.True(SenderRecovery.TryRecoverSender(tx));
        }
        else
        {
            // Replay-protected: valid only on its own chain.
            Assert.False(tx.IsUnprotectedLegacy);
            Assert.Equal(TxError.WrongChainId, TransactionRules.CheckConsensus(tx, strict));
            Assert.NotEqual(TxError.WrongChainId, TransactionRules.CheckConsensus(tx, new ChainConfig { ChainId = tx.ChainId }));
            Assert.NotEqual(TxError.UnprotectedNotAllowed, TransactionRules.CheckPolicy(tx, strict));
        }
    }

    private static void AssertFieldsEqualInputs(EthersEntry entry, string kind, Transaction tx)
    {
        TxType expectedType = kind switch
        {
            "Legacy" or "Eip155" => TxType.Legacy,
            "Berlin" => TxType.AccessList,
            _ => TxType.DynamicFee,
        };
        Assert.Equal(expectedType, tx.Type);
        Assert.Equal(entry.ChainIdFor(kind), tx.ChainId);
        Assert.Equal(entry.Nonce, tx.Nonce);
        Assert.Equal(entry.GasLimit, tx.GasLimit);
        Assert.Equal(entry.To, tx.To);
        Assert.Equal(entry.Value, tx.Value);
        Assert.Equal(entry.Data, tx.Data.ToArray());
        if (expectedType == TxType.DynamicFee)
        {
            Assert.Equal(entry.MaxPriorityFeePerGas, tx.MaxPriorityFeePerGas);
            Assert.Equal(entry.MaxFeePerGas, tx.MaxFeePerGas);
        }
        else
        {
            // Fee normalisation: both fee fields carry the gas price.
            Assert.Equal(entry.GasPrice, tx.GasPrice);
            Assert.Equal(entry.GasPrice, tx.MaxPriorityFeePerGas);
        }

        AccessListEntry[] expectedAccessList = expectedType == TxType.Legacy ? AccessListEntry.None : entry.AccessList;
        Assert.Equal(expectedAccessList.Length, tx.AccessList.Length);
        for (int i = 0; i < expectedAccessList.Length; i++)
        {
            Assert.Equal(expectedAccessList[i].Address, tx.AccessList[i].Address);
            Assert.Equal(expectedAccessList[i].StorageKeys, tx.AccessList[i].StorageKeys);
        }

        switch (kind)
        {
            case "Legacy":
                Assert.Equal(27ul + tx.YParity, tx.V);
                break;
            case "Eip155":
                Assert.Equal((tx.ChainId * 2) + 35 + tx.YParity, tx.V);
                break;
            default:
                Assert.Equal((ulong)tx.YParity, tx.V);
                break;
        }
    }

    internal static Address AddressOf(byte[] privateKey)
    {
        var publicKey = new byte[Secp256k1.PublicKeyLength];
        Assert.True(Secp256k1.TryGetPublicKey(privateKey, publicKey));
        return Address.FromPublicKey(publicKey);
    }
}
