using System.Buffers.Binary;
using NexusFast.Engine.Network;

namespace NexusFast.Engine.Tests.Network;

/// <summary><see cref="MessageParts"/> splits and <see cref="MessageAssembler"/> joins; every bad part is refused with a reason and changes nothing.</summary>
public sealed class MessageAssemblerTests
{
    private const int P = MessageParts.PartLength;
    private const byte Kind = (byte)PeerMessageKind.Proposal;

    public static TheoryData<int> Lengths => new() { 0, 1, P - 1, P, P + 1, 3 * P + 17, 9 * 1024 * 1024 + 5 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void A_split_message_of_any_length_reassembles_from_its_parts_in_order(int length)
    {
        byte[] message = RandomBytes(length, seed: length);
        byte[][] parts = MessageParts.Split(Kind, message, out _);
        Assert.Equal(MessageParts.PartCountOf(length), parts.Length);
        Assert.All(parts, part => Assert.InRange(part.Length, MessageParts.HeaderLength, MessageParts.PartPayloadLengthMax));

        var assembler = new MessageAssembler(64 * 1024 * 1024, 4);
        for (int i = 0; i < parts.Length - 1; i++)
        {
            Assert.Equal(PartOutcome.Incomplete, assembler.Add(parts[i], out _, out byte[]? none, out _));
            Assert.Null(none);
        }
        Assert.Equal(PartOutcome.Complete, assembler.Add(parts[^1], out byte kind, out byte[]? whole, out string? error));
        Assert.Null(error);
        Assert.Equal(Kind, kind);
        Assert.Equal(message, whole);
        Assert.Equal(0, assembler.IncompleteCount);
        Assert.Equal(0, assembler.BufferedBytes);
    }

    [Fact]
    public void Parts_out_of_order_and_repeated_reassemble_once()
    {
        byte[] message = RandomBytes(7 * P + 3, seed: 7);
        byte[][] parts = MessageParts.Split(Kind, message, out _);
        var random = new Random(42);
        // Every part twice, shuffled, except that the last one to arrive is the single copy of part 0.
        List<byte[]> arrivals = [.. parts.Skip(1), .. parts];
        arrivals.RemoveAt(parts.Length - 1); // the first copy of part 0
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(arrivals));
        arrivals.Add(parts[0]);

        var assembler = new MessageAssembler(64 * 1024 * 1024, 4);
        for (int i = 0; i < arrivals.Count - 1; i++) Assert.Equal(PartOutcome.Incomplete, assembler.Add(arrivals[i], out _, out _, out _));
        Assert.Equal(7L * P + 3 - P, assembler.BufferedBytes); // the copies were not kept twice
        Assert.Equal(PartOutcome.Complete, assembler.Add(arrivals[^1], out _, out byte[]? whole, out _));
        Assert.Equal(message, whole);
    }

    [Fact]
    public void Interleaved_messages_reassemble_independently()
    {
        byte[] first = RandomBytes(2 * P + 1, seed: 1);
        byte[] second = RandomBytes(3 * P, seed: 2);
        byte[][] a = MessageParts.Split(Kind, first, out _);
        byte[][] b = MessageParts.Split((byte)PeerMessageKind.CommittedBlock, second, out _);
        var assembler = new MessageAssembler(64 * 1024 * 1024, 4);
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(a[0], out _, out _, out _));
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(b[2], out _, out _, out _));
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(b[0], out _, out _, out _));
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(a[2], out _, out _, out _));
        Assert.Equal(2, assembler.IncompleteCount);
        Assert.Equal(PartOutcome.Complete, assembler.Add(a[1], out byte kindA, out byte[]? wholeA, out _));
        Assert.Equal(PartOutcome.Complete, assembler.Add(b[1], out byte kindB, out byte[]? wholeB, out _));
        Assert.Equal(Kind, kindA);
        Assert.Equal(first, wholeA);
        Assert.Equal((byte)PeerMessageKind.CommittedBlock, kindB);
        Assert.Equal(second, wholeB);
    }

    public static TheoryData<string, string> BadParts => new()
    {
        { "truncated header", "shorter than the 46-byte header" },
        { "wrong marker", "not 5" },
        { "message too long", "the maximum is" },
        { "wrong part count", "it takes" },
        { "index past the count", "part index" },
        { "data too short", "carries" },
        { "data too long", "carries" },
        { "other kind, same hash", "an earlier one" },
        { "other length, same hash", "an earlier one" },
        { "same index, other bytes", "arrived twice with different bytes" },
    };

    [Theory]
    [MemberData(nameof(BadParts))]
    public void A_part_that_breaks_a_bound_or_contradicts_another_is_misbehaviour_and_changes_nothing(string fault, string reason)
    {
        const int MessageLengthMax = 8 * P;
        byte[] message = RandomBytes(4 * P + 100, seed: 3);
        byte[][] parts = MessageParts.Split(Kind, message, out _);
        var assembler = new MessageAssembler(MessageLengthMax, 4);
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(parts[1], out _, out _, out _));
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(parts[4], out _, out _, out _));

        byte[] bad = (byte[])parts[0].Clone();
        switch (fault)
        {
            case "truncated header": bad = bad[..(MessageParts.HeaderLength - 1)]; break;
            case "wrong marker": bad[0] = (byte)PeerMessageKind.Proposal; break;
            case "message too long":
                bad = MessageParts.Split(Kind, new byte[MessageLengthMax + 1], out _)[0];
                break;
            case "wrong part count": BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(38), 6); break;
            case "index past the count": BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(42), 5); break;
            case "data too short": bad = bad[..^1]; break;
            case "data too long": bad = [.. bad, 0]; break;
            case "other kind, same hash": bad[1] = (byte)PeerMessageKind.CommittedBlock; break;
            case "other length, same hash": BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(34), (uint)message.Length + 1); break;
            case "same index, other bytes":
                bad = (byte[])parts[1].Clone();
                bad[^1] ^= 1;
                break;
        }
        long buffered = assembler.BufferedBytes;

        Assert.Equal(PartOutcome.Misbehaved, assembler.Add(bad, out _, out byte[]? whole, out string? error));
        Assert.Null(whole);
        Assert.Contains(reason, error);
        Assert.Equal(1, assembler.IncompleteCount);
        Assert.Equal(buffered, assembler.BufferedBytes);

        // The message still completes from its true parts.
        foreach (int i in (int[])[0, 2, 3]) assembler.Add(parts[i], out _, out whole, out _);
        Assert.Equal(message, whole);
    }

    [Fact]
    public void A_message_whose_parts_do_not_hash_to_its_name_is_misbehaviour_and_dropped()
    {
        byte[][] parts = MessageParts.Split(Kind, RandomBytes(2 * P + 9, seed: 4), out _);
        parts[1][MessageParts.HeaderLength + 77] ^= 0x40;
        var assembler = new MessageAssembler(64 * 1024 * 1024, 4);
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(parts[0], out _, out _, out _));
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(parts[1], out _, out _, out _));
        Assert.Equal(PartOutcome.Misbehaved, assembler.Add(parts[2], out _, out byte[]? whole, out string? error));
        Assert.Null(whole);
        Assert.Contains("hashes to", error);
        Assert.Equal(0, assembler.IncompleteCount);

        // A one-part message is checked the same way.
        byte[] single = MessageParts.Split(Kind, RandomBytes(100, seed: 5), out _)[0];
        single[^1] ^= 1;
        Assert.Equal(PartOutcome.Misbehaved, assembler.Add(single, out _, out _, out error));
        Assert.Contains("hashes to", error);
    }

    [Fact]
    public void Memory_is_bounded_by_the_incomplete_message_limit_and_the_oldest_message_is_dropped()
    {
        const int Limit = 3;
        var assembler = new MessageAssembler(64 * 1024 * 1024, Limit);
        // A header that names a 64 MiB message costs only the part that came, not a 64 MiB buffer.
        byte[][] huge = MessageParts.Split(Kind, new byte[64 * 1024 * 1024], out _);
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(huge[5], out _, out _, out _));
        Assert.Equal(P, assembler.BufferedBytes);

        byte[][][] messages = Enumerable.Range(0, 10).Select(i => MessageParts.Split(Kind, RandomBytes(3 * P, seed: 100 + i), out _)).ToArray();
        foreach (byte[][] parts in messages)
        {
            Assert.Equal(PartOutcome.Incomplete, assembler.Add(parts[0], out _, out _, out _));
            Assert.InRange(assembler.IncompleteCount, 1, Limit);
            Assert.InRange(assembler.BufferedBytes, P, Limit * (long)P);
        }

        // The newest messages are still in progress; an older one starts over (and pushes out another).
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(messages[9][1], out _, out _, out _));
        Assert.Equal(PartOutcome.Complete, assembler.Add(messages[9][2], out _, out _, out _));
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(messages[0][1], out _, out _, out _));
        Assert.Equal(PartOutcome.Incomplete, assembler.Add(messages[0][2], out _, out _, out _));
        Assert.Equal(Limit, assembler.IncompleteCount);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
