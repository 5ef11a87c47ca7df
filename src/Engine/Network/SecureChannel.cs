using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NexusFast.Engine.Network;

/// <summary>
/// An authenticated, encrypted, ordered message link over a byte stream (a TCP connection). Each direction has its own
/// AES-256-GCM key; the 96-bit nonce is that direction's frame counter, so a replayed, dropped, reordered or
/// re-targeted frame fails authentication. Frame: 4-byte big-endian ciphertext length (authenticated as associated
/// data), ciphertext, 16-byte tag. Created by <see cref="SecureHandshake"/>. One sender and one receiver at a time.
/// </summary>
public sealed class SecureChannel : IDisposable
{
    public const int TagLength = 16;
    public const int NonceLength = 12;

    /// <summary>Frames above this are refused before anything is allocated for them.</summary>
    public const int FramePayloadMaxDefault = 16 << 20;

    private readonly Stream _stream;
    private readonly AesGcm _sendCipher;
    private readonly AesGcm _receiveCipher;
    private readonly int _framePayloadMax;
    private ulong _sendCounter;
    private ulong _receiveCounter;

    internal SecureChannel(Stream stream, ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey, byte[] remotePublicKey, int framePayloadMax = FramePayloadMaxDefault)
    {
        _stream = stream;
        _sendCipher = new AesGcm(sendKey, TagLength);
        _receiveCipher = new AesGcm(receiveKey, TagLength);
        RemotePublicKey = remotePublicKey;
        _framePayloadMax = framePayloadMax;
    }

    /// <summary>The peer's static public key (compressed), proven during the handshake.</summary>
    public byte[] RemotePublicKey { get; }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (payload.Length > _framePayloadMax)
            throw new SecureChannelException(SecureChannelError.FrameTooLarge, $"a frame of {payload.Length} bytes exceeds the limit of {_framePayloadMax}");
        byte[] frame = SealFrame(payload.Span);
        await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next message; throws <see cref="SecureChannelException"/> when the link must be dropped.</summary>
    public async ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        byte[] header = new byte[4];
        await ReadExactlyAsync(_stream, header, cancellationToken).ConfigureAwait(false);
        int length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 0 || length > _framePayloadMax)
            throw new SecureChannelException(SecureChannelError.FrameTooLarge, $"the peer announced a frame of {(uint)length} bytes; the limit is {_framePayloadMax}");
        byte[] body = new byte[length + TagLength];
        await ReadExactlyAsync(_stream, body, cancellationToken).ConfigureAwait(false);
        return OpenFrame(header, body);
    }

    public void Dispose()
    {
        _sendCipher.Dispose();
        _receiveCipher.Dispose();
    }

    internal byte[] SealFrame(ReadOnlySpan<byte> payload)
    {
        if (_sendCounter == ulong.MaxValue) throw new SecureChannelException(SecureChannelError.CounterExhausted, "the send counter is exhausted");
        byte[] frame = new byte[4 + payload.Length + TagLength];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, _sendCounter++);
        _sendCipher.Encrypt(nonce, payload, frame.AsSpan(4, payload.Length), frame.AsSpan(4 + payload.Length, TagLength), frame.AsSpan(0, 4));
        return frame;
    }

    private byte[] OpenFrame(byte[] header, byte[] body)
    {
        if (_receiveCounter == ulong.MaxValue) throw new SecureChannelException(SecureChannelError.CounterExhausted, "the receive counter is exhausted");
        int length = body.Length - TagLength;
        byte[] payload = new byte[length];
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, _receiveCounter);
        try
        {
            _receiveCipher.Decrypt(nonce, body.AsSpan(0, length), body.AsSpan(length, TagLength), payload, header);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecureChannelException(SecureChannelError.Tampered, $"frame {_receiveCounter} failed authentication (tampered, replayed or out of order)");
        }
        _receiveCounter++;
        return payload;
    }

    private static void WriteNonce(Span<byte> nonce, ulong counter)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }

    internal static async ValueTask ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new SecureChannelException(SecureChannelError.Closed, "the peer closed the connection");
        }
    }
}
