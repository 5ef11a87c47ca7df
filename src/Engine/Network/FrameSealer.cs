using System.Buffers.Binary;
using System.Security.Cryptography;
using NexusFast.Engine.Diagnostics;

namespace NexusFast.Engine.Network;

/// <summary>
/// Seals outgoing frames of one link direction (see <see cref="FrameFormat"/>). Not thread-safe: a link has one
/// writer loop, which owns its sealer.
/// </summary>
internal sealed class FrameSealer : IDisposable
{
    private readonly AesGcm _aes;
    private ulong _sequence;

    public FrameSealer(ReadOnlySpan<byte> key32)
    {
        _aes = new AesGcm(key32, FrameFormat.TagSize);
    }

    /// <summary>Frames sealed so far; the next frame's nonce.</summary>
    public ulong Sequence => _sequence;

    /// <summary>Writes the whole frame (length prefix included) and returns its length.</summary>
    public int Seal(byte type, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        int bodyLength = FrameFormat.BodyLength(payload.Length);
        Span<byte> frame = destination[..(FrameFormat.LengthPrefixSize + bodyLength)];
        Span<byte> header = frame[..FrameFormat.LengthPrefixSize];
        Span<byte> text = frame.Slice(FrameFormat.LengthPrefixSize, FrameFormat.TypeSize + payload.Length);
        Span<byte> tag = frame[^FrameFormat.TagSize..];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)bodyLength);
        text[0] = type;
        payload.CopyTo(text[1..]);

        // A repeated nonce under one GCM key leaks the XOR of plaintexts and the authentication key; 2^64 frames
        // cannot be sent in practice, but the check costs nothing and stays on.
        Invariant.Check(_sequence != ulong.MaxValue);
        Span<byte> nonce = stackalloc byte[FrameFormat.NonceSize];
        FrameFormat.WriteNonce(nonce, _sequence++);
        _aes.Encrypt(nonce, text, text, tag, header);
        return frame.Length;
    }

    public void Dispose() => _aes.Dispose();
}
