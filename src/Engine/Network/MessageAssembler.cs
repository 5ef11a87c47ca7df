using System.Security.Cryptography;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Network;

/// <summary>What one part did to its message (<see cref="MessageAssembler.Add"/>).</summary>
public enum PartOutcome
{
    /// <summary>Kept (or a duplicate of one kept); the message still lacks parts.</summary>
    Incomplete,

    /// <summary>The last missing part: the message is whole and matches its hash.</summary>
    Complete,

    /// <summary>Invalid in a way an honest sender never produces; the reason says how. The assembler's state is unchanged,
    /// except that a message which completed with the wrong hash is dropped.</summary>
    Misbehaved,
}

/// <summary>
/// Reassembles the split messages (<see cref="MessageParts"/>) of one peer. Bounded: a message of at most
/// <c>messageLengthMax</c> bytes, at most <c>incompleteMessagesMax</c> messages in progress (starting another drops
/// the oldest, since an honest peer moves on from a message only when it has a newer one to send), and parts are kept
/// as they arrive rather than in a buffer sized from the header, so memory follows the bytes really received: at most
/// <c>incompleteMessagesMax * messageLengthMax</c>. Not thread-safe: the caller serializes the parts of one peer.
/// </summary>
public sealed class MessageAssembler
{
    private readonly int _messageLengthMax;
    private readonly int _incompleteMessagesMax;
    private readonly List<Incomplete> _incomplete = new();

    public MessageAssembler(int messageLengthMax, int incompleteMessagesMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageLengthMax);
        ArgumentOutOfRangeException.ThrowIfLessThan(incompleteMessagesMax, 1);
        _messageLengthMax = messageLengthMax;
        _incompleteMessagesMax = incompleteMessagesMax;
    }

    /// <summary>Messages with some but not all parts received.</summary>
    public int IncompleteCount => _incomplete.Count;

    /// <summary>Message bytes held for incomplete messages.</summary>
    public long BufferedBytes
    {
        get
        {
            long bytes = 0;
            foreach (Incomplete message in _incomplete) bytes += message.ReceivedBytes;
            return bytes;
        }
    }

    /// <summary>
    /// Takes one part. On <see cref="PartOutcome.Complete"/>, <paramref name="message"/> is the whole message and
    /// <paramref name="kind"/> the kind its parts named; on <see cref="PartOutcome.Misbehaved"/>, <paramref name="error"/> says why.
    /// </summary>
    public PartOutcome Add(ReadOnlySpan<byte> part, out byte kind, out byte[]? message, out string? error)
    {
        kind = 0;
        message = null;
        error = MessageParts.TryReadHeader(part, _messageLengthMax, out PartHeader header);
        if (error is not null) return PartOutcome.Misbehaved;
        ReadOnlySpan<byte> data = part[MessageParts.HeaderLength..];

        int at = IndexOf(header.Hash);
        Incomplete entry;
        if (at >= 0)
        {
            entry = _incomplete[at];
            if (entry.Kind != header.Kind || entry.Length != header.MessageLength)
            {
                error = $"a part of message {header.Hash} names kind {header.Kind} and {header.MessageLength} bytes, an earlier one kind {entry.Kind} and {entry.Length} bytes";
                return PartOutcome.Misbehaved;
            }
            if (entry.Parts[header.Index] is { } earlier)
            {
                if (data.SequenceEqual(earlier)) return PartOutcome.Incomplete; // a re-sent copy: links may repeat a message
                error = $"part {header.Index} of message {header.Hash} arrived twice with different bytes";
                return PartOutcome.Misbehaved;
            }
        }
        else if (header.PartCount == 1)
        {
            return Finish(header.Kind, header.Hash, [data.ToArray()], header.MessageLength, out kind, out message, out error);
        }
        else
        {
            if (_incomplete.Count == _incompleteMessagesMax) _incomplete.RemoveAt(0); // oldest first: the list is in start order
            entry = new Incomplete(header.Kind, header.Hash, header.MessageLength, header.PartCount);
            _incomplete.Add(entry);
            at = _incomplete.Count - 1;
        }

        entry.Parts[header.Index] = data.ToArray();
        entry.ReceivedParts++;
        entry.ReceivedBytes += data.Length;
        if (entry.ReceivedParts < entry.Parts.Length) return PartOutcome.Incomplete;
        _incomplete.RemoveAt(at);
        return Finish(entry.Kind, entry.Hash, entry.Parts!, entry.Length, out kind, out message, out error);
    }

    private static PartOutcome Finish(byte partKind, Hash256 hash, byte[]?[] parts, int length, out byte kind, out byte[]? message, out string? error)
    {
        kind = 0;
        message = null;
        byte[] whole = new byte[length];
        int offset = 0;
        foreach (byte[]? part in parts)
        {
            part!.CopyTo(whole, offset);
            offset += part.Length;
        }
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(whole, digest);
        if (new Hash256(digest) != hash)
        {
            error = $"message {hash} reassembled from {parts.Length} parts hashes to {new Hash256(digest)}";
            return PartOutcome.Misbehaved;
        }
        error = null;
        kind = partKind;
        message = whole;
        return PartOutcome.Complete;
    }

    private int IndexOf(Hash256 hash)
    {
        for (int i = 0; i < _incomplete.Count; i++)
        {
            if (_incomplete[i].Hash == hash) return i;
        }
        return -1;
    }

    private sealed class Incomplete(byte kind, Hash256 hash, int length, int partCount)
    {
        public byte Kind { get; } = kind;

        public Hash256 Hash { get; } = hash;

        public int Length { get; } = length;

        public byte[]?[] Parts { get; } = new byte[]?[partCount];

        public int ReceivedParts { get; set; }

        public long ReceivedBytes { get; set; }
    }
}
