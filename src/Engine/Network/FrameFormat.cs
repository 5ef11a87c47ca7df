using System.Buffers.Binary;

namespace NexusFast.Engine.Network;

/// <summary>
/// Layout of a sealed frame on the wire, after the handshake:
/// <code>
///   0        4                            4+n-16          4+n
///   +--------+----------------------------+---------------+
///   | n (BE) | AES-256-GCM(type || payload)|  GCM tag (16) |
///   +--------+----------------------------+---------------+
/// </code>
/// n = 1 + payload length + 16 is the sealed body length. The 4 length bytes are the associated data, so a
/// changed length fails authentication even when it happens to frame correctly. The message type is inside the
/// ciphertext: an observer sees only sizes. The 12-byte nonce is 4 zero bytes and the frame's 64-bit big-endian
/// sequence number in its direction; each direction has its own key, so no (key, nonce) pair ever repeats, and a
/// receiver that expects exactly the next number rejects a replayed, dropped or reordered frame.
/// </summary>
internal static class FrameFormat
{
    public const int LengthPrefixSize = 4;
    public const int TypeSize = 1;
    public const int TagSize = 16;
    public const int NonceSize = 12;
    public const int KeySize = 32;

    /// <summary>The smallest body: a type byte with an empty payload, and the tag.</summary>
    public const int BodyLengthMin = TypeSize + TagSize;

    public static int BodyLength(int payloadLength) => TypeSize + payloadLength + TagSize;

    public static int WireLength(int payloadLength) => LengthPrefixSize + BodyLength(payloadLength);

    public static void WriteNonce(Span<byte> nonce12, ulong sequence)
    {
        nonce12[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce12[4..], sequence);
    }
}
