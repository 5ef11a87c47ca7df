using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Tests.Ledger.TransactionVectors;

namespace NexusFast.Engine.Tests.Ledger;

public class TransactionEncoderTests
{
    /// <summary>The worked example of EIP-155 ("Example" section): chain id 1, key 0x4646...46.</summary>
    [Fact]
    public void Signing_the_eip155_example_gives_its_signing_payload_hash_and_signed_bytes()
    {
        var tx = new Transaction
        {
            Type = TxType.Legacy,
            ChainId = 1,
            Nonce = 9,
            GasPrice = new UInt256(20_000_000_000),
            GasLimit = 21_000,
            To = Address.Parse("0x3535353535353535353535353535353535353535"),
            Value = new UInt256(1_000_000_000_000_000_000),
        };
        byte[] secret = FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");

        byte[] payload = new byte[TransactionEncoder.GetSigningPayloadLength(tx)];
        TransactionEncoder.EncodeSigningPayload(tx, payload);
        Assert.Equal(FromHex("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080"), payload);
        Assert.Equal(Hash256.Parse("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"), TransactionEncoder.ComputeSigningHash(tx));

        TransactionSigner.Sign(tx, secret);

        Assert.Equal(37ul, tx.V);
        Assert.Equal(UInt256.Parse("18515461264373351373200002665853028612451056578545711640558177340181847433846"), tx.R);
        Assert.Equal(UInt256.Parse("46948507304638947509940763649030358759909902576025900602547168820602576006531"), tx.S);
        byte[] expected = FromHex(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
        Assert.Equal(expected, TransactionEncoder.Encode(tx));
        Assert.Equal(Keccak256.Compute(expected), tx.Hash);
        Assert.Equal(Address.Parse("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"), tx.Sender);
    }

    [Fact]
    public void A_legacy_transaction_without_a_chain_id_is_signed_unprotected_with_v_27_or_28()
    {
        var tx = new Transaction { Type = TxType.Legacy, Nonce = 1, GasLimit = 21_000, GasPrice = new UInt256(1) };

        TransactionSigner.Sign(tx, FromHex("0x4646464646464646464646464646464646464646464646464646464646464646"));

        Assert.True(tx.V is 27 or 28);
        Assert.True(tx.IsUnprotectedLegacy);
        // Unprotected: the signing payload is the six fields alone.
        Assert.Equal(6, RlpItemCount(TransactionEncoder.GetSigningPayloadLength(tx), tx));
    }

    [Fact]
    public void The_largest_legacy_chain_id_signs_and_decodes_back_and_one_more_is_refused()
    {
        byte[] secret = FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");
        var tx = new Transaction { Type = TxType.Legacy, ChainId = TransactionSigner.LegacyChainIdMax, GasLimit = 21_000 };
        TransactionSigner.Sign(tx, secret);
        var decoded = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(TransactionEncoder.Encode(tx), decoded, out _));
        Assert.Equal(TransactionSigner.LegacyChainIdMax, decoded.ChainId);
        Assert.True(SenderRecovery.TryRecoverSender(decoded));
        Assert.Equal(tx.Sender, decoded.Sender);

        var tooLarge = new Transaction { Type = TxType.Legacy, ChainId = TransactionSigner.LegacyChainIdMax + 1 };
        Assert.Throws<ArgumentException>(() => TransactionSigner.Sign(tooLarge, secret));
        Assert.Equal(0ul, tooLarge.V); // nothing was set
    }

    [Fact]
    public void Encoding_writes_exactly_its_length_and_refuses_a_short_destination()
    {
        var tx = new Transaction { Type = TxType.DynamicFee, ChainId = 1, GasLimit = 21_000, Data = new byte[300] };
        TransactionSigner.Sign(tx, FromHex("0x4646464646464646464646464646464646464646464646464646464646464646"));
        int length = TransactionEncoder.GetEncodedLength(tx);

        var buffer = new byte[length + 10];
        Array.Fill(buffer, (byte)0xAA);
        Assert.Equal(length, TransactionEncoder.Encode(tx, buffer));
        Assert.Equal(TransactionEncoder.Encode(tx), buffer[..length]);
        Assert.All(buffer[length..], b => Assert.Equal(0xAA, b));

        Assert.Throws<ArgumentException>(() => TransactionEncoder.Encode(tx, new byte[length - 1]));
        Assert.Throws<ArgumentException>(() => TransactionEncoder.EncodeSigningPayload(tx, new byte[TransactionEncoder.GetSigningPayloadLength(tx) - 1]));
    }

    [Fact]
    public void A_signing_payload_beyond_the_stack_buffer_hashes_the_same_as_one_built_in_a_fresh_array()
    {
        foreach (int dataLength in new[] { 0, 900, 1024, 5000, 128 * 1024 })
        {
            var tx = new Transaction { Type = TxType.AccessList, ChainId = 5, GasLimit = 1_000_000, Data = Enumerable.Range(0, dataLength).Select(i => (byte)i).ToArray() };
            var payload = new byte[TransactionEncoder.GetSigningPayloadLength(tx)];
            TransactionEncoder.EncodeSigningPayload(tx, payload);
            Assert.Equal(Keccak256.Compute(payload), TransactionEncoder.ComputeSigningHash(tx));
        }
    }

    [Fact]
    public void An_unknown_transaction_type_has_no_encoding()
    {
        var tx = new Transaction { Type = (TxType)3 };
        Assert.Throws<ArgumentException>(() => TransactionEncoder.GetEncodedLength(tx));
        Assert.Throws<ArgumentException>(() => TransactionEncoder.ComputeSigningHash(tx));
    }

    private static int RlpItemCount(int payloadLength, Transaction tx)
    {
        var payload = new byte[payloadLength];
        TransactionEncoder.EncodeSigningPayload(tx, payload);
        return NexusFast.Engine.Primitives.Rlp.RlpItem.Decode(payload).Items.Count;
    }
}
