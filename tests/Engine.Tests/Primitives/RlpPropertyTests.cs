using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Tests.Primitives;

public class RlpPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(2000);

    [Fact]
    public void Random_nested_items_round_trip_and_their_predicted_length_is_exact()
    {
        Check.One(s_config, Prop.ForAll(PrimitiveGenerators.Item.ToArbitrary(), item =>
        {
            byte[] encoded = item.Encode();
            Assert.Equal(item.EncodedLength, encoded.Length);
            Assert.Equal(item, RlpItem.Decode(encoded));
        }));
    }

    [Fact]
    public void Uint64_round_trips_through_writer_and_reader_and_matches_the_byte_string_encoding()
    {
        Check.One(s_config, Prop.ForAll(PrimitiveGenerators.UInt64.ToArbitrary(), value =>
        {
            byte[] encoded = new byte[RlpWriter.LengthOfUInt64(value)];
            var writer = new RlpWriter(encoded);
            writer.WriteUInt64(value);
            Assert.Equal(encoded.Length, writer.Position);

            // The same integer as a minimal big-endian byte string through the generic string path.
            Assert.Equal(RlpItem.FromUInt256(value).Encode(), encoded);

            var reader = new RlpReader(encoded);
            Assert.Equal(value, reader.ReadUInt64());
            Assert.True(reader.IsEnd);
            Assert.Equal(new UInt256(value), new RlpReader(encoded).ReadUInt256());
        }));
    }

    [Fact]
    public void Uint256_round_trips_through_writer_and_reader_and_matches_the_byte_string_encoding()
    {
        Check.One(s_config, Prop.ForAll(PrimitiveGenerators.UInt256Value.ToArbitrary(), value =>
        {
            byte[] encoded = new byte[RlpWriter.LengthOfUInt256(value)];
            var writer = new RlpWriter(encoded);
            writer.WriteUInt256(value);
            Assert.Equal(encoded.Length, writer.Position);
            Assert.Equal(RlpItem.FromBytes(value.ToBigInteger().IsZero ? [] : value.ToBigInteger().ToByteArray(isUnsigned: true, isBigEndian: true)).Encode(), encoded);

            var reader = new RlpReader(encoded);
            Assert.Equal(value, reader.ReadUInt256());
            Assert.True(reader.IsEnd);

            RlpError narrow = new RlpReader(encoded).TryReadUInt64(out ulong small);
            if (value.IsUInt64) Assert.Equal((RlpError.None, value.U0), (narrow, small));
            else Assert.Equal(RlpError.IntegerTooLarge, narrow);
        }));
    }

    [Fact]
    public void String_length_prediction_matches_the_writer()
    {
        Check.One(s_config, Prop.ForAll(PrimitiveGenerators.Bytes.ToArbitrary(), bytes =>
        {
            byte[] encoded = new byte[RlpWriter.LengthOfString(bytes)];
            var writer = new RlpWriter(encoded);
            writer.WriteString(bytes);
            Assert.Equal(encoded.Length, writer.Position);
            Assert.Equal(bytes, new RlpReader(encoded).ReadString().ToArray());
        }));
    }

    // Strictness as a property: an accepted input has exactly one encoding, so whatever the decoder accepts,
    // re-encoding must reproduce byte for byte. Inputs are valid encodings with one byte changed, and raw noise.
    [Fact]
    public void Whatever_the_decoder_accepts_reencodes_to_the_same_bytes()
    {
        Gen<byte[]> mutated =
            from item in PrimitiveGenerators.Item
            let encoded = item.Encode()
            from position in Gen.Choose(0, encoded.Length - 1)
            from replacement in Gen.Choose(0, 255)
            select Mutate(encoded, position, (byte)replacement);
        Gen<byte[]> noise = Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

        int accepted = 0;
        Check.One(s_config.WithMaxTest(5000), Prop.ForAll(Gen.OneOf(mutated, noise).ToArbitrary(), input =>
        {
            if (RlpItem.TryDecode(input, out RlpItem? item, out _) != RlpError.None) return;
            accepted++;
            Assert.Equal(Convert.ToHexStringLower(input), Convert.ToHexStringLower(item!.Encode()));
        }));
        Assert.True(accepted > 100, $"only {accepted} inputs were accepted; the property barely ran");
    }

    // The converse: take a valid tree, encode one of its nodes in a non-canonical way (everything above it stays
    // consistent), and the decoder must refuse it.
    [Fact]
    public void Every_non_canonical_variant_of_a_valid_encoding_is_rejected()
    {
        Gen<(RlpItem Item, int Node, Defect Defect)> cases =
            from item in PrimitiveGenerators.Item
            from node in Gen.Choose(0, CountNodes(item) - 1)
            from defect in Gen.Elements(Defect.WrappedSingleByte, Defect.LongFormForShortPayload, Defect.LeadingZeroInLength)
            select (item, node, defect);

        Check.One(s_config, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            int counter = 0;
            byte[] encoded = EncodeWithDefect(c.Item, c.Node, c.Defect, ref counter);
            RlpError error = RlpItem.TryDecode(encoded, out _, out _);
            Assert.NotEqual(RlpError.None, error);
        }));
    }

    public enum Defect
    {
        WrappedSingleByte,
        LongFormForShortPayload,
        LeadingZeroInLength,
    }

    private static int CountNodes(RlpItem item)
    {
        if (!item.IsList) return 1;
        int count = 1;
        foreach (RlpItem child in item.Items) count += CountNodes(child);
        return count;
    }

    private static byte[] EncodeWithDefect(RlpItem item, int target, Defect defect, ref int counter)
    {
        bool here = counter++ == target;
        byte[] payload;
        if (item.IsList)
        {
            var parts = new List<byte>();
            foreach (RlpItem child in item.Items) parts.AddRange(EncodeWithDefect(child, target, defect, ref counter));
            payload = [.. parts];
        }
        else
        {
            payload = item.Bytes.ToArray();
        }

        byte shortBase = item.IsList ? (byte)0xC0 : (byte)0x80;
        byte longBase = item.IsList ? (byte)0xF7 : (byte)0xB7;
        if (!here)
        {
            return item.IsList ? [.. Header(shortBase, longBase, payload.Length), .. payload] : RlpItem.FromBytes(payload).Encode();
        }

        if (defect == Defect.WrappedSingleByte && !item.IsList && payload.Length == 1 && payload[0] < 0x80)
        {
            return [0x81, payload[0]];
        }

        if (defect == Defect.LongFormForShortPayload && payload.Length < 56)
        {
            return [(byte)(longBase + 1), (byte)payload.Length, .. payload];
        }

        // Applies to every node: the minimal length bytes with a zero byte in front.
        byte[] lengthBytes = MinimalBigEndian(payload.Length);
        return [(byte)(longBase + 1 + lengthBytes.Length), 0x00, .. lengthBytes, .. payload];
    }

    private static byte[] Header(byte shortBase, byte longBase, int length)
    {
        if (length < 56) return [(byte)(shortBase + length)];
        byte[] lengthBytes = MinimalBigEndian(length);
        return [(byte)(longBase + lengthBytes.Length), .. lengthBytes];
    }

    private static byte[] MinimalBigEndian(int value)
    {
        var bytes = new List<byte>();
        for (; value > 0; value >>= 8) bytes.Insert(0, (byte)value);
        return [.. bytes];
    }

    private static byte[] Mutate(byte[] encoded, int position, byte replacement)
    {
        byte[] copy = (byte[])encoded.Clone();
        copy[position] = replacement;
        return copy;
    }
}
