using System.Net;

namespace NexusFast.Engine.Network;

/// <summary>
/// Where a peer listens and which key it must present there. Written <c>NODEID@IP:PORT</c> (NODEID is 66 hex
/// digits, IPv6 in brackets), the form of static peer lists in configuration. Host names are not accepted:
/// resolving them would make dialing depend on DNS, and validators' addresses are fixed.
/// </summary>
public sealed record PeerAddress(NodeId Id, IPEndPoint EndPoint)
{
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out PeerAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        int at = text.IndexOf('@');
        if (at < 0)
        {
            error = "a peer address is NODEID@IP:PORT; the '@' is missing";
            return false;
        }
        if (!NodeId.TryParse(text[..at], out NodeId id, out error)) return false;
        ReadOnlySpan<char> endPointText = text[(at + 1)..];
        if (!IPEndPoint.TryParse(endPointText, out IPEndPoint? endPoint) || !HasExplicitPort(endPointText))
        {
            error = $"'{endPointText}' is not IP:PORT (IPv6 as [ADDRESS]:PORT)";
            return false;
        }
        if (endPoint.Port == 0)
        {
            error = "a peer's port cannot be 0";
            return false;
        }
        address = new PeerAddress(id, Normalize(endPoint));
        error = null;
        return true;
    }

    public static PeerAddress Parse(string text)
    {
        if (!TryParse(text, out PeerAddress? address, out string? error)) throw new FormatException(error);
        return address;
    }

    /// <summary>IPv4-mapped IPv6 addresses become plain IPv4, so that one host has one key in tables and ban lists.</summary>
    internal static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    internal static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // IPEndPoint.TryParse accepts "1.2.3.4" with port 0; a peer address must name its port.
    private static bool HasExplicitPort(ReadOnlySpan<char> text)
    {
        int colon = text.LastIndexOf(':');
        int bracket = text.LastIndexOf(']');
        return colon > 0 && colon > bracket && (bracket >= 0 || text.IndexOf(':') == colon);
    }

    public override string ToString() => $"{Id}@{EndPoint}";
}
