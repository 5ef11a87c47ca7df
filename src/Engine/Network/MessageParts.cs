using System.Buffers.Binary;
using System.Security.Cryptography;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Network;

/// <summary>
/// Splits a peer message too large for one frame into parts, each a frame of its own (the consensus issue: "gossip of
/// proposals, split into parts for large blocks"). A part is
/// <code>
/// [0]      PeerMessageKind.Part
/// [1]      kind of the whole message (the kind byte it starts with)
/// [2..34)  SHA-256 of the whole message: names it, and proves the reassembled bytes are what the sender split
/// [34..38) length of the whole message, uint32 big-endian
/// [38..42) part count, uint32 big-endian; always PartCountOf(length)
/// [42..46) part index, uint32 big-endian
/// [46..)   the message's bytes [index * PartLength, ...), PartLength of them except in the last part
/// </code>
/// <see cref="PartLength"/> is part of the wire format: a receiver knows from the length alone how many parts there
/// are and how long each is, so a part of the wrong size is refused on arrival. <see cref="MessageAssembler"/> joins them.
/// </summary>
public static class MessageParts
{
    /// <summary>
    /// Message bytes per part. Parts are written one frame at a time and votes overtake queued parts
    /// (<see cref="SendClass.Parts"/>), so a vote waits for at most one part already being written: 256 KiB is about 2 ms
    /// at 1 Gbit/s. Much smaller parts would cost a frame (seal, header, write call) per few KiB of an 11 MB block;
    /// 256 KiB keeps the 46-byte header at 0.02 % and stays far below the default 4 MiB payload maximum.
    /// </summary>
    public const int PartLength = 256 * 1024;

    public const int HeaderLength = 46;

    /// <summary>The largest part payload; a host that carries parts needs a <see cref="NetworkOptions.PayloadLengthMax"/> of at least this.</summary>
    public const int PartPayloadLengthMax = HeaderLength + PartLength;

    /// <summary>How many parts a message of <paramref name="messageLength"/> bytes travels in (an empty one still takes one).</summary>
    public static int PartCountOf(int messageLength) => messageLength == 0 ? 1 : (int)(((long)messageLength + PartLength - 1) / PartLength);

    /// <summary>Splits <paramref name="message"/>; the parts are independent arrays, safe to queue on several links at once.</summary>
    public static byte[][] Split(byte kind, ReadOnlySpan<byte> message, out Hash256 hash)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(message, digest);
        hash = new Hash256(digest);
        int count = PartCountOf(message.Length);
        var parts = new byte[count][];
        for (int index = 0; index < count; index++)
        {
            int start = index * PartLength;
            int length = Math.Min(PartLength, message.Length - start);
            byte[] part = new byte[HeaderLength + length];
            part[0] = (byte)PeerMessageKind.Part;
            part[1] = kind;
            digest.CopyTo(part.AsSpan(2));
            BinaryPrimitives.WriteUInt32BigEndian(part.AsSpan(34), (uint)message.Length);
            BinaryPrimitives.WriteUInt32BigEndian(part.AsSpan(38), (uint)count);
            BinaryPrimitives.WriteUInt32BigEndian(part.AsSpan(42), (uint)index);
            message.Slice(start, length).CopyTo(part.AsSpan(HeaderLength));
            parts[index] = part;
        }
        return parts;
    }

    /// <summary>Reads and checks a part's header against itself and <paramref name="messageLengthMax"/>; null when it is sound, else why not.</summary>
    public static string? TryReadHeader(ReadOnlySpan<byte> part, int messageLengthMax, out PartHeader header)
    {
        header = default;
        if (part.Length < HeaderLength) return $"a part of {part.Length} bytes is shorter than the {HeaderLength}-byte header";
        if (part[0] != (byte)PeerMessageKind.Part) return $"a part starts with kind {part[0]}, not {(byte)PeerMessageKind.Part}";
        uint length = BinaryPrimitives.ReadUInt32BigEndian(part[34..]);
        uint count = BinaryPrimitives.ReadUInt32BigEndian(part[38..]);
        uint index = BinaryPrimitives.ReadUInt32BigEndian(part[42..]);
        if (length > (uint)messageLengthMax) return $"a part of a {length}-byte message, the maximum is {messageLengthMax}";
        int expectedCount = PartCountOf((int)length);
        if (count != (uint)expectedCount) return $"a {length}-byte message claims {count} parts, it takes {expectedCount}";
        if (index >= count) return $"part index {index} of {count} parts";
        int dataLength = Math.Min(PartLength, (int)length - (int)index * PartLength);
        if (part.Length - HeaderLength != dataLength) return $"part {index} of a {length}-byte message carries {part.Length - HeaderLength} bytes, not {dataLength}";
        header = new PartHeader(part[1], new Hash256(part.Slice(2, 32)), (int)length, (int)count, (int)index);
        return null;
    }
}

/// <summary>A checked part header (<see cref="MessageParts"/>).</summary>
public readonly record struct PartHeader(byte Kind, Hash256 Hash, int MessageLength, int PartCount, int Index);
