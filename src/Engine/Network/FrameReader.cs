using System.Buffers;
using System.Buffers.Binary;

namespace NexusFast.Engine.Network;

/// <summary>What reading one frame gave.</summary>
internal enum FrameStatus
{
    Ok,
    EndOfStream,
    TooLarge,
    TooSmall,
    DecryptionFailed,
}

/// <summary>
/// One frame read by <see cref="FrameReader"/>. <see cref="Payload"/> points into the reader's buffer and is
/// valid only until the next read.
/// </summary>
internal readonly struct FrameReadResult(FrameStatus status, byte type, ReadOnlyMemory<byte> payload, int bodyLength)
{
    public FrameStatus Status { get; } = status;

    public byte Type { get; } = type;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    /// <summary>The length prefix as read (for reports on oversized frames).</summary>
    public int BodyLength { get; } = bodyLength;
}

/// <summary>
/// Reads sealed frames from a stream. The length prefix is checked against the maximum before anything is
/// allocated or read, so a peer cannot make this node buffer more than one maximum-size frame. The receive
/// buffer comes from the shared array pool and is reused from frame to frame. Not thread-safe.
/// </summary>
internal sealed class FrameReader : IDisposable
{
    private const int InitialBufferBytes = 4096;
    private const int RetainedBufferBytesMax = 64 * 1024;

    private readonly Stream _stream;
    private readonly FrameOpener _opener;
    private readonly int _bodyLengthMax;
    private readonly byte[] _header = new byte[FrameFormat.LengthPrefixSize];
    private byte[] _buffer;

    public FrameReader(Stream stream, FrameOpener opener, int payloadLengthMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLengthMax);
        _stream = stream;
        _opener = opener;
        _bodyLengthMax = FrameFormat.BodyLength(payloadLengthMax);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(_bodyLengthMax, InitialBufferBytes));
    }

    public async ValueTask<FrameReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        int headerRead = await _stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (headerRead < _header.Length) return new FrameReadResult(FrameStatus.EndOfStream, 0, default, 0);

        uint bodyLength = BinaryPrimitives.ReadUInt32BigEndian(_header);
        if (bodyLength > (uint)_bodyLengthMax) return new FrameReadResult(FrameStatus.TooLarge, 0, default, (int)Math.Min(bodyLength, int.MaxValue));
        if (bodyLength < FrameFormat.BodyLengthMin) return new FrameReadResult(FrameStatus.TooSmall, 0, default, (int)bodyLength);

        int length = (int)bodyLength;
        // Grow for a large frame, and give the large buffer back at the next small one: a link that once carried
        // a 4 MiB block part should not hold 4 MiB for the rest of its life (50 peers would pin 200 MiB).
        if (_buffer.Length < length || (_buffer.Length > RetainedBufferBytesMax && length <= RetainedBufferBytesMax))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, InitialBufferBytes));
        }
        int bodyRead = await _stream.ReadAtLeastAsync(_buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (bodyRead < length) return new FrameReadResult(FrameStatus.EndOfStream, 0, default, length);

        if (!_opener.TryOpen(_header, _buffer.AsSpan(0, length))) return new FrameReadResult(FrameStatus.DecryptionFailed, 0, default, length);
        int textLength = length - FrameFormat.TagSize;
        return new FrameReadResult(FrameStatus.Ok, _buffer[0], _buffer.AsMemory(FrameFormat.TypeSize, textLength - FrameFormat.TypeSize), length);
    }

    public void Dispose()
    {
        byte[] buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
