using System.Buffers.Binary;

namespace NexusFast.Engine.Network;

/// <summary>
/// The payload of a <see cref="MessageType.Transaction"/> gossip message: raw signed transactions back to back, each
/// behind its length as a 4-byte big-endian number. Batching keeps the per-message cost (frame, seal, hash for
/// duplicate suppression) off each transaction when clients submit many at once.
/// </summary>
public static class TransactionBatchCodec
{
    private const int LengthBytes = 4;

    /// <summary>Bytes one transaction takes in a batch.</summary>
    public static int SizeOf(int rawLength) => LengthBytes + rawLength;

    public static byte[] Encode(IReadOnlyList<byte[]> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        int size = 0;
        foreach (byte[] raw in transactions) size += SizeOf(raw.Length);
        var payload = new byte[size];
        int offset = 0;
        foreach (byte[] raw in transactions)
        {
            BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(offset), raw.Length);
            raw.CopyTo(payload.AsSpan(offset + LengthBytes));
            offset += SizeOf(raw.Length);
        }
        return payload;
    }

    /// <summary>
    /// Splits a batch into copies of its transactions; false (with <paramref name="error"/>) when it is empty, an entry
    /// is empty, or a length runs past the end: no honest node sends that.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, List<byte[]> transactions, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        if (payload.IsEmpty)
        {
            error = "an empty transaction batch";
            return false;
        }
        while (!payload.IsEmpty)
        {
            if (payload.Length < LengthBytes)
            {
                error = $"{payload.Length} bytes left where a 4-byte length was expected";
                return false;
            }
            int length = BinaryPrimitives.ReadInt32BigEndian(payload);
            if (length <= 0 || length > payload.Length - LengthBytes)
            {
                error = $"a transaction length of {length} with {payload.Length - LengthBytes} bytes left";
                return false;
            }
            transactions.Add(payload.Slice(LengthBytes, length).ToArray());
            payload = payload[(LengthBytes + length)..];
        }
        error = null;
        return true;
    }
}
