using System.Security.Cryptography;

namespace NexusFast.Engine.Network;

/// <summary>
/// Opens incoming frames of one link direction (see <see cref="FrameFormat"/>). Not thread-safe: a link has one
/// read loop, which owns its opener. After a failed open the link must be closed; the sequence number does not
/// advance, so no later frame could be opened anyway.
/// </summary>
internal sealed class FrameOpener : IDisposable
{
    private readonly AesGcm _aes;
    private ulong _sequence;

    public FrameOpener(ReadOnlySpan<byte> key32)
    {
        _aes = new AesGcm(key32, FrameFormat.TagSize);
    }

    /// <summary>Frames opened so far; the sequence number the next frame must carry.</summary>
    public ulong Sequence => _sequence;

    /// <summary>
    /// Decrypts <paramref name="body"/> (ciphertext || tag) in place; on success the plaintext (type || payload)
    /// is <c>body[..^16]</c>. False when authentication fails, with the plaintext region zeroed by AesGcm.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> header4, Span<byte> body)
    {
        if (body.Length < FrameFormat.BodyLengthMin) return false;
        Span<byte> text = body[..^FrameFormat.TagSize];
        Span<byte> nonce = stackalloc byte[FrameFormat.NonceSize];
        FrameFormat.WriteNonce(nonce, _sequence);
        try
        {
            _aes.Decrypt(nonce, text, body[^FrameFormat.TagSize..], text, header4);
        }
        catch (AuthenticationTagMismatchException)
        {
            // The one failure AesGcm reports by exception; it ends the link, so it is not on a hot path.
            return false;
        }
        _sequence++;
        return true;
    }

    public void Dispose() => _aes.Dispose();
}
