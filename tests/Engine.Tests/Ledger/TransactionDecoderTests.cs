using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;
using static NexusFast.Engine.Tests.Ledger.TransactionVectors;

namespace NexusFast.Engine.Tests.Ledger;

/// <summary>The decoder's error kinds and messages on hand-made malformed inputs, beside the vector suites.</summary>
public class TransactionDecoderTests
{
    private static readonly byte[] s_secret = FromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

    /// <summary>Signed transactions of each type, to derive malformed variants from.</summary>
    private static byte[] Signed(TxType type, Action<Transaction>? adjust = null)
    {
        var tx = new Transaction
        {
            Type = type,
            ChainId = 1,
            Nonce = 7,
            GasLimit = 50_000,
            To = Address.Parse("0x3535353535353535353535353535353535353535"),
            Value = new UInt256(1_000_000_000_000_000_000),
            Data = new byte[] { 0xde, 0xad },
        };
        if (type == TxType.DynamicFee)
        {
            tx.MaxPriorityFeePerGas = new UInt256(2_000_000_000);
            tx.MaxFeePerGas = new UInt256(30_000_000_000);
        }
        else
        {
            tx.GasPrice = new UInt256(20_000_000_000);
        }
        if (type != TxType.Legacy)
        {
            tx.AccessList = [new AccessListEntry(Address.Parse("0x" + new string('1', 40)), [Hash256.Parse("0x" + new string('2', 64))])];
        }
        adjust?.Invoke(tx);
        TransactionSigner.Sign(tx, s_secret);
        return TransactionEncoder.Encode(tx);
    }

    /// <summary>The list of a signed transaction as items, and the envelope prefix (the type byte, or nothing).</summary>
    private static (byte[] Prefix, List<RlpItem> Items) Open(byte[] encoded)
    {
        int start = encoded[0] >= 0xC0 ? 0 : 1;
        return (encoded[..start], [.. RlpItem.Decode(encoded.AsSpan(start)).Items]);
    }

    private static byte[] Close(byte[] prefix, List<RlpItem> items) => [.. prefix, .. RlpItem.FromList([.. items]).Encode()];

    private static TxError Decode(byte[] raw, out string detail) => TransactionDecoder.TryDecode(raw, new Transaction(), out detail);

    public static TheoryData<TxType> Types => [TxType.Legacy, TxType.AccessList, TxType.DynamicFee];

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x03)]
    [InlineData(0x04)]
    [InlineData(0x7F)]
    public void Decoding_rejects_type_bytes_other_than_1_and_2(byte type)
    {
        byte[] raw = Signed(TxType.DynamicFee);
        raw[0] = type;

        Assert.Equal(TxError.TypeNotSupported, Decode(raw, out string detail));
        Assert.Contains($"type 0x{type:x2}", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_rejects_a_byte_string_envelope_as_an_unsupported_type_and_a_malformed_one_as_rlp()
    {
        Assert.Equal(TxError.TypeNotSupported, Decode([0x83, 1, 2, 3], out string detail));
        Assert.Contains("RLP byte string of 3 bytes", detail, StringComparison.Ordinal);

        Assert.Equal(TxError.RlpInvalid, Decode([0x83, 1, 2], out detail));
        Assert.StartsWith("rlp: invalid transaction envelope at offset 0", detail, StringComparison.Ordinal);

        Assert.Equal(TxError.RlpInvalid, Decode([], out detail));
        Assert.Contains("empty input", detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Decoding_rejects_bytes_after_the_list(TxType type)
    {
        byte[] raw = [.. Signed(type), 0x80];

        Assert.Equal(TxError.RlpInvalid, Decode(raw, out string detail));
        Assert.Contains($"unexpected bytes after the", detail, StringComparison.Ordinal);
        Assert.Contains($"from offset {raw.Length - 1}", detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Decoding_names_a_missing_or_an_extra_field(TxType type)
    {
        (byte[] prefix, List<RlpItem> items) = Open(Signed(type));
        int fieldCount = items.Count;

        List<RlpItem> fewer = items[..^1];
        Assert.Equal(TxError.RlpInvalid, Decode(Close(prefix, fewer), out string detail));
        Assert.Contains($"too few fields:", detail, StringComparison.Ordinal);
        Assert.Contains($"has {fieldCount}, this list has {fieldCount - 1}", detail, StringComparison.Ordinal);

        List<RlpItem> more = [.. items, RlpItem.FromBytes([])];
        Assert.Equal(TxError.RlpInvalid, Decode(Close(prefix, more), out detail));
        Assert.Contains($"too many fields:", detail, StringComparison.Ordinal);
        Assert.Contains($"this list has {fieldCount + 1}", detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// Found by the mutation property: a list whose last field is followed by bytes that do not parse as an item
    /// (there: the s header became a one-byte value, leaving the 32 bytes of s inside the list) was once accepted.
    /// </summary>
    [Theory]
    [MemberData(nameof(Types))]
    public void Decoding_rejects_a_malformed_remainder_after_the_last_field(TxType type)
    {
        (byte[] prefix, List<RlpItem> items) = Open(Signed(type));
        // The fields, then 0xb8 (a long-string header whose length byte is missing), all inside the list.
        byte[] payload = [.. items.SelectMany(item => item.Encode()), 0xB8];
        byte[] raw = [.. prefix, .. ListHeader(payload.Length), .. payload];

        Assert.Equal(TxError.RlpInvalid, Decode(raw, out string detail));
        Assert.Contains($"too many fields: a", detail, StringComparison.Ordinal);
        Assert.Contains($"this list has more than {items.Count}", detail, StringComparison.Ordinal);
    }

    private static byte[] ListHeader(int payloadLength)
    {
        var header = new byte[RlpWriter.LengthOfHeader(payloadLength)];
        new RlpWriter(header).WriteListHeader(payloadLength);
        return header;
    }

    [Theory]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    public void Decoding_rejects_a_y_parity_other_than_0_or_1(TxType type)
    {
        (byte[] prefix, List<RlpItem> items) = Open(Signed(type));
        items[^3] = RlpItem.FromBytes([2]);

        Assert.Equal(TxError.InvalidSignature, Decode(Close(prefix, items), out string detail));
        Assert.Contains("yParity", detail, StringComparison.Ordinal);
        Assert.Contains("is 2, it must be 0 or 1", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    public void Decoding_rejects_a_chain_id_over_64_bits(TxType type)
    {
        (byte[] prefix, List<RlpItem> items) = Open(Signed(type));
        items[0] = RlpItem.FromBytes([1, 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(TxError.ChainIdOverflow, Decode(Close(prefix, items), out string detail));
        Assert.Contains("chainId at offset", detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Decoding_accepts_an_empty_recipient_as_contract_creation_and_refuses_one_that_is_not_20_bytes(TxType type)
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(Signed(type, t => t.To = null), tx, out _));
        Assert.True(tx.IsContractCreation);

        (byte[] prefix, List<RlpItem> items) = Open(Signed(type));
        int toIndex = type switch { TxType.Legacy => 3, TxType.AccessList => 4, _ => 5 };
        foreach (int length in new[] { 1, 19, 21, 32 })
        {
            items[toIndex] = RlpItem.FromBytes(Enumerable.Repeat((byte)0x35, length).ToArray());
            Assert.Equal(TxError.RlpInvalid, Decode(Close(prefix, items), out string detail));
            Assert.Contains($"to at offset", detail, StringComparison.Ordinal);
            Assert.Contains($"has {length} bytes", detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Decoding_rejects_access_list_entries_of_the_wrong_shape()
    {
        (byte[] prefix, List<RlpItem> items) = Open(Signed(TxType.DynamicFee));
        RlpItem address = RlpItem.FromBytes(new byte[20]);
        RlpItem keys = RlpItem.FromList(RlpItem.FromBytes(new byte[32]));
        var cases = new (RlpItem AccessList, string Expected)[]
        {
            (RlpItem.FromBytes([1]), "invalid accessList at offset"),
            (RlpItem.FromList(RlpItem.FromBytes([1])), "invalid accessList[0] (an [address, storageKeys] list)"),
            (RlpItem.FromList(RlpItem.FromList(address)), "accessList[0] has 1 items"),
            (RlpItem.FromList(RlpItem.FromList(address, keys, keys)), "accessList[0] has more than 2 items"),
            (RlpItem.FromList(RlpItem.FromList(address, RlpItem.FromBytes(new byte[32]))), "invalid accessList[0].storageKeys"),
            (RlpItem.FromList(RlpItem.FromList(RlpItem.FromList(), keys)), "invalid accessList[0].address"),
            (RlpItem.FromList(RlpItem.FromList(address, keys), RlpItem.FromList(RlpItem.FromBytes(new byte[19]), keys)), "accessList[1].address at offset"),
            (RlpItem.FromList(RlpItem.FromList(address, RlpItem.FromList(RlpItem.FromBytes(new byte[32]), RlpItem.FromBytes(new byte[31])))), "accessList[0].storageKeys[1] at offset"),
        };

        foreach ((RlpItem accessList, string expected) in cases)
        {
            items[8] = accessList;
            Assert.Equal(TxError.RlpInvalid, Decode(Close(prefix, items), out string detail));
            Assert.Contains(expected, detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Decoding_rejects_r_and_s_longer_than_32_bytes_as_invalid_signatures()
    {
        (byte[] prefix, List<RlpItem> items) = Open(Signed(TxType.Legacy));
        items[7] = RlpItem.FromBytes([1, .. new byte[32]]);

        Assert.Equal(TxError.InvalidSignature, Decode(Close(prefix, items), out string detail));
        Assert.Contains("r at offset", detail, StringComparison.Ordinal);
        Assert.Contains("33 bytes", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rejected_input_leaves_the_target_transaction_unchanged()
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(Signed(TxType.DynamicFee), tx, out _));
        Assert.True(SenderRecovery.TryRecoverSender(tx));
        byte[] before = TransactionEncoder.Encode(tx);
        Hash256 hash = tx.Hash;
        Address sender = tx.Sender;

        (byte[] prefix, List<RlpItem> items) = Open(Signed(TxType.AccessList, t => t.Nonce = 99));
        items[^1] = RlpItem.FromList(); // s given as a list, the last field: everything before it was read
        Assert.Equal(TxError.RlpInvalid, TransactionDecoder.TryDecode(Close(prefix, items), tx, out string detail));
        Assert.Contains("invalid s", detail, StringComparison.Ordinal);

        Assert.Equal(before, TransactionEncoder.Encode(tx));
        Assert.Equal(hash, tx.Hash);
        Assert.Equal(TxType.DynamicFee, tx.Type);
        Assert.True(tx.HasSender);
        Assert.Equal(sender, tx.Sender);
    }

    [Fact]
    public void Decoding_into_a_reused_transaction_replaces_every_field_and_clears_the_sender()
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(Signed(TxType.DynamicFee), tx, out _));
        Assert.True(SenderRecovery.TryRecoverSender(tx));

        byte[] legacy = Signed(TxType.Legacy, t => t.Data = ReadOnlyMemory<byte>.Empty);
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(legacy, tx, out _));

        Assert.False(tx.HasSender);
        Assert.Equal(default, tx.Sender);
        Assert.Equal(TxType.Legacy, tx.Type);
        Assert.Empty(tx.AccessList);
        Assert.True(tx.Data.IsEmpty);
        Assert.Equal(tx.GasPrice, tx.MaxPriorityFeePerGas);
        Assert.Equal(legacy, TransactionEncoder.Encode(tx));
    }
}
