using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Tests.Ledger;

/// <summary>
/// Sign, encode, decode and recover over generated transactions of every type, and the strictness of the decoder
/// against mutated encodings: whatever it accepts must be the canonical encoding of what it decoded.
/// </summary>
public class TransactionCodecPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Gen<byte> s_byte = Gen.Choose(0, 255).Select(b => (byte)b);

    private static readonly Gen<byte[]> s_secret = Gen.ArrayOf(s_byte, 32).Where(secret => Secp256k1.IsValidSecretKey(secret));

    private static readonly Gen<AccessListEntry[]> s_accessList = Gen.Choose(0, 3).SelectMany(count => Gen.ArrayOf(
        Gen.Zip(Gen.ArrayOf(s_byte, 20), Gen.Choose(0, 3).SelectMany(keys => Gen.ArrayOf(Gen.ArrayOf(s_byte, 32), keys)))
            .Select(t => new AccessListEntry(new Address(t.Item1), t.Item2.Select(k => new Hash256(k)).ToArray())),
        count));

    private static readonly Gen<Transaction> s_unsigned =
        from type in Gen.Elements(TxType.Legacy, TxType.AccessList, TxType.DynamicFee)
        from chainId in PrimitiveGenerators.UInt64
        from nonce in PrimitiveGenerators.UInt64
        from gasLimit in PrimitiveGenerators.UInt64
        from fee1 in PrimitiveGenerators.UInt256Value
        from fee2 in PrimitiveGenerators.UInt256Value
        from hasTo in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from to in Gen.ArrayOf(s_byte, 20)
        from value in PrimitiveGenerators.UInt256Value
        from data in PrimitiveGenerators.Bytes
        from accessList in s_accessList
        select Build(type, chainId, nonce, gasLimit, fee1, fee2, hasTo ? new Address(to) : null, value, data, accessList);

    [Fact]
    public void Signed_transactions_of_every_type_round_trip_through_encode_decode_and_recover_their_signer()
    {
        Check.One(s_config, Prop.ForAll(s_unsigned.ToArbitrary(), s_secret.ToArbitrary(), (tx, secret) =>
        {
            TransactionSigner.Sign(tx, secret);
            byte[] encoded = TransactionEncoder.Encode(tx);
            var decoded = new Transaction();

            Assert.Equal(TxError.None, TransactionDecoder.TryDecode(encoded, decoded, out string detail));
            Assert.Equal(string.Empty, detail);
            Assert.Equal(encoded, TransactionEncoder.Encode(decoded));
            Assert.Equal(tx.Hash, decoded.Hash);
            Assert.Equal(Keccak256.Compute(encoded), decoded.Hash);
            Assert.Equal(encoded.Length, decoded.EncodedLength);
            Assert.Equal(tx.Type, decoded.Type);
            Assert.Equal(tx.ChainId, decoded.ChainId);
            Assert.Equal(tx.Nonce, decoded.Nonce);
            Assert.Equal(tx.GasLimit, decoded.GasLimit);
            Assert.Equal(tx.MaxFeePerGas, decoded.MaxFeePerGas);
            Assert.Equal(tx.MaxPriorityFeePerGas, decoded.MaxPriorityFeePerGas);
            Assert.Equal(tx.To, decoded.To);
            Assert.Equal(tx.Value, decoded.Value);
            Assert.Equal(tx.Data.ToArray(), decoded.Data.ToArray());
            Assert.Equal(tx.AccessList.Length, decoded.AccessList.Length);
            Assert.Equal(tx.V, decoded.V);
            Assert.Equal(TransactionEncoder.ComputeSigningHash(tx), TransactionEncoder.ComputeSigningHash(decoded));
            Assert.True(SenderRecovery.TryRecoverSender(decoded));
            Assert.Equal(tx.Sender, decoded.Sender);
        }));
    }

    [Fact]
    public void Whatever_the_decoder_accepts_after_a_byte_is_changed_is_the_canonical_encoding_of_what_it_decoded()
    {
        Gen<(byte[] Encoded, int Position, byte Replacement)> mutation =
            from tx in s_unsigned
            from secret in s_secret
            let encoded = SignAndEncode(tx, secret)
            from position in Gen.Choose(0, encoded.Length - 1)
            from replacement in s_byte
            select (encoded, position, replacement);

        int accepted = 0;
        Check.One(s_config.WithMaxTest(1000), Prop.ForAll(mutation.ToArbitrary(), m =>
        {
            byte[] mutated = (byte[])m.Encoded.Clone();
            mutated[m.Position] = m.Replacement;
            var decoded = new Transaction();
            TxError error = TransactionDecoder.TryDecode(mutated, decoded, out string detail);
            if (error == TxError.None)
            {
                accepted++;
                Assert.Equal(mutated, TransactionEncoder.Encode(decoded));
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(detail));
            }
        }));
        Assert.True(accepted > 0, "no mutation was accepted, so the property was vacuous");
    }

    [Fact]
    public void Every_proper_prefix_of_a_valid_encoding_is_rejected()
    {
        Check.One(s_config.WithMaxTest(100), Prop.ForAll(s_unsigned.ToArbitrary(), s_secret.ToArbitrary(), (tx, secret) =>
        {
            byte[] encoded = SignAndEncode(tx, secret);
            var decoded = new Transaction();
            for (int length = 0; length < encoded.Length; length++)
            {
                Assert.NotEqual(TxError.None, TransactionDecoder.TryDecode(encoded.AsSpan(0, length), decoded, out _));
            }
        }));
    }

    private static byte[] SignAndEncode(Transaction tx, byte[] secret)
    {
        TransactionSigner.Sign(tx, secret);
        return TransactionEncoder.Encode(tx);
    }

    private static Transaction Build(
        TxType type, ulong chainId, ulong nonce, ulong gasLimit, UInt256 fee1, UInt256 fee2, Address? to, UInt256 value, byte[] data,
        AccessListEntry[] accessList)
    {
        var tx = new Transaction
        {
            Type = type,
            // A legacy chain id must leave room for its EIP-155 v in 64 bits.
            ChainId = type == TxType.Legacy ? chainId % (TransactionSigner.LegacyChainIdMax + 1) : chainId,
            Nonce = nonce,
            GasLimit = gasLimit,
            To = to,
            Value = value,
            Data = data,
        };
        if (type == TxType.DynamicFee)
        {
            tx.MaxPriorityFeePerGas = fee1;
            tx.MaxFeePerGas = fee2;
        }
        else
        {
            tx.GasPrice = fee1;
        }
        if (type != TxType.Legacy) tx.AccessList = accessList;
        return tx;
    }
}
