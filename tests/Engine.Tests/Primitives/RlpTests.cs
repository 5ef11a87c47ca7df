using System.Numerics;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Primitives;

public class RlpTests
{
    // What a strict decoder must report for each entry of invalidRLPTest.json; the names say what is wrong.
    private static readonly Dictionary<string, RlpError> s_expectedInvalid = new(StringComparer.Ordinal)
    {
        ["int32Overflow"] = RlpError.LengthOverflow,
        ["int32Overflow2"] = RlpError.LengthOverflow,
        ["wrongSizeList"] = RlpError.NonCanonicalLongForm,
        ["wrongSizeList2"] = RlpError.NonCanonicalLongForm,
        ["incorrectLengthInArray"] = RlpError.LeadingZeroInLength,
        ["randomRLP"] = RlpError.LeadingZeroInLength,
        ["bytesShouldBeSingleByte00"] = RlpError.NonCanonicalSingleByte,
        ["bytesShouldBeSingleByte01"] = RlpError.NonCanonicalSingleByte,
        ["bytesShouldBeSingleByte7F"] = RlpError.NonCanonicalSingleByte,
        ["leadingZerosInLongLengthArray1"] = RlpError.LeadingZeroInLength,
        ["leadingZerosInLongLengthArray2"] = RlpError.LeadingZeroInLength,
        ["leadingZerosInLongLengthList1"] = RlpError.LeadingZeroInLength,
        ["leadingZerosInLongLengthList2"] = RlpError.LeadingZeroInLength,
        ["nonOptimalLongLengthArray1"] = RlpError.NonCanonicalLongForm,
        ["nonOptimalLongLengthArray2"] = RlpError.NonCanonicalLongForm,
        ["nonOptimalLongLengthList1"] = RlpError.NonCanonicalLongForm,
        ["nonOptimalLongLengthList2"] = RlpError.NonCanonicalLongForm,
        ["emptyEncoding"] = RlpError.UnexpectedEnd,
        ["lessThanShortLengthArray1"] = RlpError.LengthExceedsInput,
        ["lessThanShortLengthArray2"] = RlpError.LengthExceedsInput,
        ["lessThanShortLengthList1"] = RlpError.LengthExceedsInput,
        ["lessThanShortLengthList2"] = RlpError.LengthExceedsInput,
        ["lessThanLongLengthArray1"] = RlpError.LengthExceedsInput,
        ["lessThanLongLengthArray2"] = RlpError.LengthExceedsInput,
        ["lessThanLongLengthList1"] = RlpError.LengthExceedsInput,
        ["lessThanLongLengthList2"] = RlpError.LengthOverflow,
    };

    private readonly ITestOutputHelper _output;

    public RlpTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> RlpTestNames() => Names(RlpVectors.RlpTest.Keys);

    public static TheoryData<string> RlpTestIntegerNames()
    {
        var data = new TheoryData<string>();
        foreach (RlpVectors.Valid vector in RlpVectors.RlpTest.Values)
        {
            if (vector.Integer is not null) data.Add(vector.Name);
        }

        return data;
    }

    public static TheoryData<string> InvalidNames() => Names(RlpVectors.Invalid.Keys);

    public static TheoryData<string> RandomNames() => Names(RlpVectors.Random.Keys);

    public static TheoryData<string> EthersNames() => Names(RlpVectors.Ethers.Keys);

    [Fact]
    public void The_vector_files_hold_the_expected_number_of_vectors()
    {
        _output.WriteLine($"rlptest.json: {RlpVectors.RlpTest.Count}, invalidRLPTest.json: {RlpVectors.Invalid.Count}, " +
                          $"RandomRLPTests/example.json: {RlpVectors.Random.Count}, ethers/rlp.json: {RlpVectors.Ethers.Count}");
        Assert.Equal(28, RlpVectors.RlpTest.Count);
        Assert.Equal(26, RlpVectors.Invalid.Count);
        Assert.Single(RlpVectors.Random);
        Assert.Equal(61, RlpVectors.Ethers.Count);
        Assert.Equal(11, RlpTestIntegerNames().Count);
        Assert.Equal(s_expectedInvalid.Keys.Order(StringComparer.Ordinal), RlpVectors.Invalid.Keys.Order(StringComparer.Ordinal));
    }

    // ---- ethereum/tests RLPTests ---------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(RlpTestNames))]
    public void Encoding_the_rlptest_input_gives_the_expected_bytes(string name)
    {
        RlpVectors.Valid vector = RlpVectors.RlpTest[name];
        Assert.Equal(Convert.ToHexStringLower(vector.Encoded), Convert.ToHexStringLower(vector.Item.Encode()));
        Assert.Equal(vector.Encoded.Length, vector.Item.EncodedLength);
    }

    [Theory]
    [MemberData(nameof(RlpTestNames))]
    public void Decoding_the_rlptest_output_gives_the_input(string name)
    {
        RlpVectors.Valid vector = RlpVectors.RlpTest[name];
        Assert.Equal(vector.Item, RlpItem.Decode(vector.Encoded));
    }

    // The integer vectors also go through the typed integer paths, which is what transactions use.
    [Theory]
    [MemberData(nameof(RlpTestIntegerNames))]
    public void Integer_vectors_round_trip_through_the_typed_integer_reader_and_writer(string name)
    {
        RlpVectors.Valid vector = RlpVectors.RlpTest[name];
        BigInteger integer = vector.Integer!.Value;

        var reader = new RlpReader(vector.Encoded);
        if (integer.GetByteCount(isUnsigned: true) > 32)
        {
            // "bigint" is 2^256: a valid byte string, but too long for a 256-bit field.
            Assert.Equal(RlpError.IntegerTooLarge, reader.TryReadUInt256(out _));
            Assert.Equal(0, reader.Position);
            return;
        }

        UInt256 value = UInt256.FromBigInteger(integer);
        Assert.Equal(RlpError.None, reader.TryReadUInt256(out UInt256 decoded));
        Assert.True(reader.IsEnd);
        Assert.Equal(value, decoded);

        byte[] written = new byte[RlpWriter.LengthOfUInt256(value)];
        var writer = new RlpWriter(written);
        writer.WriteUInt256(value);
        Assert.Equal(written.Length, writer.Position);
        Assert.Equal(vector.Encoded, written);

        reader = new RlpReader(vector.Encoded);
        if (integer <= ulong.MaxValue)
        {
            Assert.Equal(RlpError.None, reader.TryReadUInt64(out ulong small));
            Assert.Equal((ulong)integer, small);
        }
        else
        {
            Assert.Equal(RlpError.IntegerTooLarge, reader.TryReadUInt64(out _));
        }
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Decoding_rejects_the_invalid_rlp_vector(string name)
    {
        byte[] encoded = RlpVectors.Invalid[name];
        RlpError error = RlpItem.TryDecode(encoded, out RlpItem? item, out int offset);
        _output.WriteLine($"{name}: {error} at offset {offset}");
        Assert.Null(item);
        Assert.Equal(s_expectedInvalid[name], error);

        RlpException exception = Assert.Throws<RlpException>(() => RlpItem.Decode(encoded));
        Assert.Equal(error, exception.Error);
        Assert.Equal(offset, exception.Offset);
    }

    [Theory]
    [MemberData(nameof(RandomNames))]
    public void The_random_rlp_vector_decodes_and_reencodes_to_the_same_bytes(string name)
    {
        byte[] encoded = RlpVectors.Random[name];
        Assert.Equal(encoded, RlpItem.Decode(encoded).Encode());
    }

    // ---- ethers rlp.json -----------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(EthersNames))]
    public void Encoding_the_ethers_decoded_value_gives_the_ethers_encoding(string name)
    {
        RlpVectors.Valid vector = RlpVectors.Ethers[name];
        Assert.Equal(Convert.ToHexStringLower(vector.Encoded), Convert.ToHexStringLower(vector.Item.Encode()));
    }

    [Theory]
    [MemberData(nameof(EthersNames))]
    public void Decoding_the_ethers_encoding_gives_the_ethers_decoded_value(string name)
    {
        RlpVectors.Valid vector = RlpVectors.Ethers[name];
        Assert.Equal(vector.Item, RlpItem.Decode(vector.Encoded));
    }

    // ---- strict reader ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("00", RlpError.LeadingZeroInInteger)]
    [InlineData("8200ff", RlpError.LeadingZeroInInteger)]
    [InlineData("890102030405060708ff", RlpError.IntegerTooLarge)]
    [InlineData("c0", RlpError.ExpectedString)]
    [InlineData("", RlpError.UnexpectedEnd)]
    [InlineData("8105", RlpError.NonCanonicalSingleByte)]
    public void Decoding_rejects_non_canonical_or_oversized_uint64(string hex, RlpError expected)
    {
        var reader = new RlpReader(Convert.FromHexString(hex));
        Assert.Equal(expected, reader.TryReadUInt64(out ulong value));
        Assert.Equal(0UL, value);
        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void Decoding_rejects_leading_zeros_in_integers_and_integers_longer_than_256_bits()
    {
        byte[] leadingZero = [0xA0, 0x00, .. Enumerable.Repeat((byte)0xFF, 31)];
        Assert.Equal(RlpError.LeadingZeroInInteger, new RlpReader(leadingZero).TryReadUInt256(out _));

        byte[] tooLong = [0xA1, .. Enumerable.Repeat((byte)0x01, 33)];
        Assert.Equal(RlpError.IntegerTooLarge, new RlpReader(tooLong).TryReadUInt256(out _));

        byte[] max = [0xA0, .. Enumerable.Repeat((byte)0xFF, 32)];
        Assert.Equal(UInt256.MaxValue, new RlpReader(max).ReadUInt256());
    }

    [Fact]
    public void Zero_is_the_empty_string()
    {
        Assert.Equal(0UL, new RlpReader([0x80]).ReadUInt64());
        Assert.Equal(UInt256.Zero, new RlpReader([0x80]).ReadUInt256());
        Span<byte> buffer = stackalloc byte[1];
        var writer = new RlpWriter(buffer);
        writer.WriteUInt256(UInt256.Zero);
        Assert.Equal(0x80, buffer[0]);
        Assert.Equal(1, RlpWriter.LengthOfUInt64(0));
    }

    [Theory]
    [InlineData(19, RlpError.UnexpectedLength)]
    [InlineData(21, RlpError.UnexpectedLength)]
    [InlineData(0, RlpError.UnexpectedLength)]
    [InlineData(20, RlpError.None)]
    public void Addresses_must_be_exactly_20_bytes(int length, RlpError expected)
    {
        byte[] payload = Enumerable.Range(1, length).Select(i => (byte)(0x80 + i)).ToArray();
        byte[] encoded = RlpItem.FromBytes(payload).Encode();
        var reader = new RlpReader(encoded);
        Assert.Equal(expected, reader.TryReadAddress(out Address address));
        if (expected == RlpError.None) Assert.Equal(payload, address.ToArray());
    }

    [Theory]
    [InlineData(31, RlpError.UnexpectedLength)]
    [InlineData(33, RlpError.UnexpectedLength)]
    [InlineData(32, RlpError.None)]
    public void Hashes_must_be_exactly_32_bytes(int length, RlpError expected)
    {
        byte[] payload = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();
        var reader = new RlpReader(RlpItem.FromBytes(payload).Encode());
        Assert.Equal(expected, reader.TryReadHash(out Hash256 hash));
        if (expected == RlpError.None) Assert.Equal(payload, hash.ToArray());
    }

    [Fact]
    public void A_list_where_a_string_belongs_is_rejected_and_vice_versa()
    {
        var reader = new RlpReader([0xC1, 0x01]);
        Assert.Equal(RlpError.ExpectedString, reader.TryReadString(out _));
        Assert.Equal(RlpError.ExpectedString, reader.TryReadAddress(out _));
        Assert.Equal(RlpError.None, reader.TryReadList(out _));

        reader = new RlpReader([0x83, 0x64, 0x6F, 0x67]);
        Assert.Equal(RlpError.ExpectedList, reader.TryReadList(out _));
    }

    [Fact]
    public void An_item_overrunning_its_enclosing_list_is_rejected_even_when_the_input_is_long_enough()
    {
        // c2 declares two payload bytes; the string 83 010203 inside needs four.
        var reader = new RlpReader([0xC2, 0x83, 0x01, 0x02, 0x03]);
        Assert.Equal(RlpError.None, reader.TryReadList(out RlpReader list));
        Assert.Equal(RlpError.LengthExceedsInput, list.TryReadString(out _));
        Assert.Equal(1, list.Position);
    }

    [Fact]
    public void Trailing_bytes_after_the_top_level_list_are_rejected()
    {
        byte[] encoded = [0xC2, 0x01, 0x02, 0x03];
        Assert.Equal(RlpError.TrailingBytes, RlpReader.TryDecodeList(encoded, out _));
        RlpException exception = Assert.Throws<RlpException>(() => RlpReader.DecodeList(encoded));
        Assert.Equal(RlpError.TrailingBytes, exception.Error);
        Assert.Equal(3, exception.Offset);
        Assert.Contains("offset 3", exception.Message, StringComparison.Ordinal);

        Assert.Equal(RlpError.TrailingBytes, RlpItem.TryDecode([0x80, 0x80], out _, out int offset));
        Assert.Equal(1, offset);
    }

    [Fact]
    public void Extra_fields_in_a_list_are_caught_by_EnsureEnd()
    {
        RlpException exception = Assert.Throws<RlpException>(() =>
        {
            RlpReader fields = RlpReader.DecodeList([0xC3, 0x01, 0x02, 0x03]);
            Assert.Equal(1UL, fields.ReadUInt64());
            Assert.Equal(2UL, fields.ReadUInt64());
            fields.EnsureEnd();
        });
        Assert.Equal(RlpError.TrailingBytes, exception.Error);
        Assert.Equal(3, exception.Offset);
    }

    [Fact]
    public void The_throwing_reader_names_the_absolute_offset_of_a_nested_bad_item()
    {
        // [ 0x01, [ 0x02, 0x81 0x05 ] ]: the non-canonical 0x81 0x05 sits at offset 4.
        byte[] encoded = [0xC5, 0x01, 0xC3, 0x02, 0x81, 0x05];
        RlpException exception = Assert.Throws<RlpException>(() =>
        {
            RlpReader outer = RlpReader.DecodeList(encoded);
            Assert.Equal(1UL, outer.ReadUInt64());
            RlpReader inner = outer.ReadList();
            Assert.Equal(2UL, inner.ReadUInt64());
            inner.ReadUInt64();
        });
        Assert.Equal(RlpError.NonCanonicalSingleByte, exception.Error);
        Assert.Equal(4, exception.Offset);
        Assert.Contains("offset 4", exception.Message, StringComparison.Ordinal);
        Assert.Contains("64-bit integer", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_read_leaves_the_reader_where_it_was()
    {
        var reader = new RlpReader([0x01, 0x82, 0x00, 0x01, 0x05]);
        Assert.Equal(1UL, reader.ReadUInt64());
        Assert.Equal(RlpError.LeadingZeroInInteger, reader.TryReadUInt64(out _));
        Assert.Equal(1, reader.Position);
        Assert.Equal(RlpError.None, reader.TryReadString(out ReadOnlySpan<byte> raw));
        Assert.Equal([0x00, 0x01], raw.ToArray());
        Assert.Equal(5UL, reader.ReadUInt64());
        Assert.True(reader.IsEnd);
        Assert.Equal(RlpError.UnexpectedEnd, reader.TryReadUInt64(out _));
    }

    [Fact]
    public void ReadEncoded_returns_the_whole_item_and_Skip_moves_past_it()
    {
        byte[] encoded = [0xC4, 0x83, 0x64, 0x6F, 0x67, 0x05];
        var reader = new RlpReader(encoded);
        Assert.True(reader.PeekIsList);
        Assert.Equal(encoded.AsSpan(0, 5).ToArray(), reader.ReadEncoded().ToArray());
        Assert.False(reader.PeekIsList);
        reader.Skip();
        Assert.True(reader.IsEnd);
        Assert.False(reader.PeekIsList);
    }

    [Fact]
    public void Lists_nested_deeper_than_the_limit_are_rejected_by_the_tree_decoder()
    {
        byte[] atLimit = NestedEmptyLists(RlpItem.DepthMax);
        Assert.Equal(RlpError.None, RlpItem.TryDecode(atLimit, out _, out _));

        byte[] tooDeep = NestedEmptyLists(RlpItem.DepthMax + 1);
        Assert.Equal(RlpError.DepthExceeded, RlpItem.TryDecode(tooDeep, out _, out _));
    }

    // ---- writer ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0, 1)]
    [InlineData(55, 1)]
    [InlineData(56, 2)]
    [InlineData(255, 2)]
    [InlineData(256, 3)]
    [InlineData(65535, 3)]
    [InlineData(65536, 4)]
    [InlineData(int.MaxValue, 5)]
    public void Header_length_follows_the_56_byte_boundary_and_the_length_of_the_length(int payload, int header)
    {
        Assert.Equal(header, RlpWriter.LengthOfHeader(payload));
    }

    [Fact]
    public void Long_list_headers_are_written_big_endian_without_leading_zeros()
    {
        byte[] buffer = new byte[4];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(0x0400);
        Assert.Equal([0xF9, 0x04, 0x00], writer.Written.ToArray());
    }

    [Fact]
    public void Address_and_hash_fields_are_written_with_their_exact_lengths()
    {
        Address address = Address.Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        Hash256 hash = Hash256.Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        byte[] buffer = new byte[RlpWriter.LengthOfList(RlpWriter.LengthOfAddress + RlpWriter.LengthOfHash)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(RlpWriter.LengthOfAddress + RlpWriter.LengthOfHash);
        writer.WriteAddress(address);
        writer.WriteHash(hash);
        Assert.Equal(buffer.Length, writer.Position);

        RlpReader fields = RlpReader.DecodeList(buffer);
        Assert.Equal(address, fields.ReadAddress());
        Assert.Equal(hash, fields.ReadHash());
        fields.EnsureEnd();
        Assert.Equal(RlpItem.FromList(RlpItem.FromBytes(address.ToArray()), RlpItem.FromBytes(hash.ToArray())).Encode(), buffer);
    }

    [Fact]
    public void Writing_past_the_end_of_the_buffer_is_refused_with_a_message()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new RlpWriter(new byte[2]);
            writer.WriteString([1, 2, 3]);
        });
        Assert.Contains("LengthOf", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_bytes_below_0x80_are_written_bare_and_others_behind_0x81()
    {
        Assert.Equal([0x7F], RlpItem.FromBytes([0x7F]).Encode());
        Assert.Equal([0x81, 0x80], RlpItem.FromBytes([0x80]).Encode());
        Assert.Equal([0x00], RlpItem.FromBytes([0x00]).Encode());
        Assert.Equal(1, RlpWriter.LengthOfString([0x7F]));
        Assert.Equal(2, RlpWriter.LengthOfString([0x80]));
    }

    private static byte[] NestedEmptyLists(int depth)
    {
        // depth lists, each holding the next: the innermost is c0. Depth above 55 needs long-form headers, so build
        // the encoding inside-out.
        byte[] encoded = [0xC0];
        for (int i = 1; i < depth; i++)
        {
            byte[] next = new byte[RlpWriter.LengthOfList(encoded.Length)];
            var writer = new RlpWriter(next);
            writer.WriteListHeader(encoded.Length);
            writer.WriteEncoded(encoded);
            encoded = next;
        }

        return encoded;
    }

    private static TheoryData<string> Names(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (string name in names) data.Add(name);
        return data;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(300)]
    [InlineData(70_000)]
    public void A_string_begun_in_place_and_filled_encodes_as_written_whole(int length)
    {
        byte[] value = new byte[length];
        new Random(length).NextBytes(value);
        if (length > 0) value[0] = 0x02;
        var whole = new byte[RlpWriter.LengthOfHeader(length) + length + 1];
        var writer = new RlpWriter(whole);
        writer.WriteString(value);
        writer.WriteUInt64(7);

        var inPlace = new byte[whole.Length];
        var begun = new RlpWriter(inPlace);
        value.CopyTo(begun.BeginString(length));
        begun.WriteUInt64(7);
        Assert.Equal(whole.Length, begun.Position);
        Assert.Equal(whole, inPlace);
    }

    [Fact]
    public void A_one_byte_string_cannot_be_begun_in_place_as_its_encoding_depends_on_the_byte()
    {
        var writer = new RlpWriter(new byte[4]);
        try
        {
            writer.BeginString(1);
            Assert.Fail("BeginString(1) was accepted");
        }
        catch (ArgumentOutOfRangeException e)
        {
            Assert.Contains("one-byte", e.Message);
        }
    }
}
