using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NexusFast.Engine.Network;

/// <summary>
/// Payload of <see cref="NetworkMessageType.PeerList"/>:
/// <code>
///   count (1 byte), then count entries of
///     node id (33) | address family (1: 4 = IPv4, 6 = IPv6) | address (4 or 16) | port (2, big-endian, not 0)
/// </code>
/// Decoding refuses more entries than the receiver's limit, unknown families, port 0, bad node ids and trailing
/// bytes: a peer list is small and fixed in shape, so anything else is a broken or hostile peer.
/// </summary>
public static class PeerListCodec
{
    /// <summary>The most entries one message can carry (the count is one byte).</summary>
    public const int EntriesMax = byte.MaxValue;

    private const byte FamilyIPv4 = 4;
    private const byte FamilyIPv6 = 6;

    public static byte[] Encode(IReadOnlyList<PeerAddress> peers)
    {
        if (peers.Count > EntriesMax) throw new ArgumentException($"at most {EntriesMax} peers fit in one list, got {peers.Count}", nameof(peers));
        int length = 1;
        foreach (PeerAddress peer in peers) length += EntryLength(peer.EndPoint.Address);
        byte[] payload = new byte[length];
        payload[0] = (byte)peers.Count;
        int offset = 1;
        foreach (PeerAddress peer in peers)
        {
            IPAddress address = PeerAddress.Normalize(peer.EndPoint.Address);
            peer.Id.WriteTo(payload.AsSpan(offset, NodeId.Length));
            offset += NodeId.Length;
            bool isV4 = address.AddressFamily == AddressFamily.InterNetwork;
            payload[offset++] = isV4 ? FamilyIPv4 : FamilyIPv6;
            if (!address.TryWriteBytes(payload.AsSpan(offset), out int written))
                throw new ArgumentException($"address {address} cannot be written", nameof(peers));
            offset += written;
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(offset), (ushort)peer.EndPoint.Port);
            offset += 2;
        }
        return payload;
    }

    public static bool TryDecode(
        ReadOnlySpan<byte> payload, int entriesMax, [NotNullWhen(true)] out List<PeerAddress>? peers, [NotNullWhen(false)] out string? error)
    {
        peers = null;
        if (payload.IsEmpty)
        {
            error = "empty peer list (the count byte is missing)";
            return false;
        }
        int count = payload[0];
        if (count > entriesMax)
        {
            error = $"peer list has {count} entries, the limit is {entriesMax}";
            return false;
        }
        var result = new List<PeerAddress>(count);
        int offset = 1;
        for (int i = 0; i < count; i++)
        {
            if (!TryDecodeEntry(payload[offset..], out PeerAddress? peer, out int consumed, out error))
            {
                error = $"peer list entry {i}: {error}";
                return false;
            }
            result.Add(peer);
            offset += consumed;
        }
        if (offset != payload.Length)
        {
            error = $"peer list has {payload.Length - offset} bytes after its {count} entries";
            return false;
        }
        peers = result;
        error = null;
        return true;
    }

    private static bool TryDecodeEntry(
        ReadOnlySpan<byte> source, [NotNullWhen(true)] out PeerAddress? peer, out int consumed, [NotNullWhen(false)] out string? error)
    {
        peer = null;
        consumed = 0;
        if (source.Length < NodeId.Length + 1)
        {
            error = "truncated";
            return false;
        }
        if (!NodeId.TryRead(source[..NodeId.Length], out NodeId id))
        {
            error = "node id is not a compressed secp256k1 key";
            return false;
        }
        byte family = source[NodeId.Length];
        int addressLength = family switch { FamilyIPv4 => 4, FamilyIPv6 => 16, _ => -1 };
        if (addressLength < 0)
        {
            error = $"unknown address family {family}";
            return false;
        }
        int length = NodeId.Length + 1 + addressLength + 2;
        if (source.Length < length)
        {
            error = "truncated";
            return false;
        }
        var address = new IPAddress(source.Slice(NodeId.Length + 1, addressLength));
        int port = BinaryPrimitives.ReadUInt16BigEndian(source[(length - 2)..]);
        if (port == 0)
        {
            error = "port 0";
            return false;
        }
        peer = new PeerAddress(id, PeerAddress.Normalize(new IPEndPoint(address, port)));
        consumed = length;
        error = null;
        return true;
    }

    private static int EntryLength(IPAddress address) =>
        NodeId.Length + 1 + (PeerAddress.Normalize(address).AddressFamily == AddressFamily.InterNetwork ? 4 : 16) + 2;
}
