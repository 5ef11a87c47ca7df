using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Network;

/// <summary>
/// The link handshake: both sides prove their static node key, agree on fresh session keys and refuse peers of
/// another network. It runs over a fresh TCP connection; afterwards both sides hold a <see cref="FrameSealer"/>
/// and a <see cref="FrameOpener"/>.
///
/// <para><b>1. Hello</b> (plaintext, 113 bytes, both sides send at once and then read the other's):</para>
/// <code>
///   offset size  field
///      0     4   magic "NXFS"
///      4     1   protocol version (1)
///      5     8   chain id, big-endian
///     13    32   genesis block hash
///     45    33   static node key S (compressed secp256k1, 0x02/0x03 || X)
///     78    33   ephemeral key E, fresh for this connection (compressed)
///    111     2   TCP port the sender accepts connections on, big-endian (0 = none)
/// </code>
/// A side refuses the other's hello when the magic or version differ (<see cref="DisconnectReason.ProtocolMismatch"/>),
/// the chain id or genesis differ (<see cref="DisconnectReason.WrongNetwork"/>), S is its own key
/// (<see cref="DisconnectReason.SelfConnection"/>) or, for a dialer that knows whom it dials, S is not the expected
/// key (<see cref="DisconnectReason.WrongNodeKey"/>).
///
/// <para><b>2. Keys.</b> The dialer is the initiator (I), the acceptor the responder (R).</para>
/// <code>
///   transcript = SHA-256("nexusfast/handshake/v1" || hello_I || hello_R)
///   ee         = SHA-256(compressed(e_self · E_peer))          (libsecp256k1 ECDH)
///   key_I→R    = HKDF-SHA256(ikm = ee, salt = transcript, info = "nexusfast/v1 key initiator->responder", 32)
///   key_R→I    = HKDF-SHA256(ikm = ee, salt = transcript, info = "nexusfast/v1 key responder->initiator", 32)
/// </code>
/// The session keys come from ephemeral keys only, so recording traffic and later stealing a node key does not
/// decrypt it (forward secrecy); the static keys authenticate through signatures instead (a SIGMA-style design,
/// as in TLS 1.3's CertificateVerify). The transcript holds both hellos, so the network identity, both static
/// keys and both ephemeral keys are bound into the keys and into the signatures below.
///
/// <para><b>3. Auth.</b> Each side sends one sealed frame (<see cref="FrameFormat"/>, sequence 0) of type
/// <see cref="NetworkMessageType.Auth"/> whose 64-byte payload is its ECDSA signature (compact r||s, low s) with
/// its static key over SHA-256("nexusfast/v1 auth initiator" || transcript), or "... auth responder" for R. The
/// role in the signed text keeps a signature from being reflected back to its signer. Opening the frame
/// confirms that both sides derived the same keys; verifying the signature against S from the hello proves the
/// peer holds S's secret. Any failure here is <see cref="DisconnectReason.InvalidHandshake"/> (or
/// <see cref="DisconnectReason.DecryptionFailed"/> for a frame that does not open), and the link is dropped.</para>
/// </summary>
internal static class Handshake
{
    public const int HelloLength = 113;
    public const byte ProtocolVersion = 1;
    private const int SignatureLength = Secp256k1.SignatureLength;

    private static ReadOnlySpan<byte> Magic => "NXFS"u8;
    private static ReadOnlySpan<byte> TranscriptLabel => "nexusfast/handshake/v1"u8;
    private static ReadOnlySpan<byte> KeyInfoInitiatorToResponder => "nexusfast/v1 key initiator->responder"u8;
    private static ReadOnlySpan<byte> KeyInfoResponderToInitiator => "nexusfast/v1 key responder->initiator"u8;
    private static ReadOnlySpan<byte> AuthLabelInitiator => "nexusfast/v1 auth initiator"u8;
    private static ReadOnlySpan<byte> AuthLabelResponder => "nexusfast/v1 auth responder"u8;

    /// <summary>
    /// Runs both steps over <paramref name="stream"/>. Reads exactly the handshake's bytes, so the stream can be
    /// wrapped in a buffered reader afterwards without losing data. Cancel <paramref name="cancellationToken"/> to
    /// enforce a time limit.
    /// </summary>
    /// <exception cref="HandshakeException">The peer was refused or did not prove its key.</exception>
    public static async Task<HandshakeResult> RunAsync(
        Stream stream, HandshakeParameters parameters, bool isInitiator, NodeId? expectedPeer, CancellationToken cancellationToken)
    {
        using NodeKey ephemeral = NodeKey.Generate();
        byte[] ownHello = new byte[HelloLength];
        WriteHello(ownHello, parameters, ephemeral.Id);
        await stream.WriteAsync(ownHello, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        byte[] peerHello = new byte[HelloLength];
        int read = await stream.ReadAtLeastAsync(peerHello, HelloLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < HelloLength) throw new HandshakeException(DisconnectReason.RemoteClosed, $"the peer closed the connection after {read} of {HelloLength} hello bytes");

        Hello peer = ParseHello(peerHello, parameters, expectedPeer);

        byte[] transcript = isInitiator ? Transcript(ownHello, peerHello) : Transcript(peerHello, ownHello);
        byte[] sendKey = new byte[FrameFormat.KeySize];
        byte[] receiveKey = new byte[FrameFormat.KeySize];
        FrameSealer? sealer = null;
        FrameOpener? opener = null;
        try
        {
            DeriveKeys(ephemeral, peer.EphemeralKey, transcript, isInitiator, sendKey, receiveKey);
            sealer = new FrameSealer(sendKey);
            opener = new FrameOpener(receiveKey);

            byte[] authFrame = new byte[FrameFormat.WireLength(SignatureLength)];
            Span<byte> signature = stackalloc byte[SignatureLength];
            parameters.NodeKey.Sign(AuthDigest(transcript, isInitiator), signature);
            sealer.Seal(NetworkMessageType.Auth, signature, authFrame);
            await stream.WriteAsync(authFrame, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

            await ReadPeerAuthAsync(stream, opener, peer.StaticKey, AuthDigest(transcript, !isInitiator), cancellationToken).ConfigureAwait(false);
            var result = new HandshakeResult(peer.StaticKey, peer.ListenPort, sealer, opener);
            sealer = null;
            opener = null;
            return result;
        }
        finally
        {
            sealer?.Dispose();
            opener?.Dispose();
            CryptographicOperations.ZeroMemory(sendKey);
            CryptographicOperations.ZeroMemory(receiveKey);
        }
    }

    private static void WriteHello(Span<byte> hello, HandshakeParameters parameters, NodeId ephemeralKey)
    {
        Magic.CopyTo(hello);
        hello[4] = ProtocolVersion;
        BinaryPrimitives.WriteUInt64BigEndian(hello[5..], parameters.Network.ChainId);
        parameters.Network.GenesisHash.CopyTo(hello.Slice(13, Hash256.Size));
        parameters.NodeKey.Id.WriteTo(hello.Slice(45, NodeId.Length));
        ephemeralKey.WriteTo(hello.Slice(78, NodeId.Length));
        BinaryPrimitives.WriteUInt16BigEndian(hello[111..], parameters.ListenPort);
    }

    private readonly record struct Hello(NodeId StaticKey, NodeId EphemeralKey, ushort ListenPort);

    private static Hello ParseHello(ReadOnlySpan<byte> hello, HandshakeParameters parameters, NodeId? expectedPeer)
    {
        if (!hello[..4].SequenceEqual(Magic) || hello[4] != ProtocolVersion)
        {
            throw new HandshakeException(
                DisconnectReason.ProtocolMismatch,
                $"the peer's hello starts {Convert.ToHexStringLower(hello[..5])}, expected magic NXFS and version {ProtocolVersion}");
        }
        var peerNetwork = new NetworkIdentity(BinaryPrimitives.ReadUInt64BigEndian(hello[5..]), new Hash256(hello.Slice(13, Hash256.Size)));
        if (peerNetwork != parameters.Network)
            throw new HandshakeException(DisconnectReason.WrongNetwork, $"the peer is on {peerNetwork}, this node on {parameters.Network}");
        if (!NodeId.TryRead(hello.Slice(45, NodeId.Length), out NodeId staticKey))
            throw new HandshakeException(DisconnectReason.InvalidHandshake, "the peer's static key is not a compressed secp256k1 key");
        if (!NodeId.TryRead(hello.Slice(78, NodeId.Length), out NodeId ephemeralKey))
            throw new HandshakeException(DisconnectReason.InvalidHandshake, "the peer's ephemeral key is not a compressed secp256k1 key");
        if (staticKey == parameters.NodeKey.Id)
            throw new HandshakeException(DisconnectReason.SelfConnection, "the peer presented this node's own key");
        if (expectedPeer is { } expected && staticKey != expected)
            throw new HandshakeException(DisconnectReason.WrongNodeKey, $"dialed node {expected} but the peer presented {staticKey}");
        return new Hello(staticKey, ephemeralKey, BinaryPrimitives.ReadUInt16BigEndian(hello[111..]));
    }

    private static byte[] Transcript(ReadOnlySpan<byte> initiatorHello, ReadOnlySpan<byte> responderHello)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(TranscriptLabel);
        hash.AppendData(initiatorHello);
        hash.AppendData(responderHello);
        return hash.GetHashAndReset();
    }

    private static void DeriveKeys(
        NodeKey ephemeral, NodeId peerEphemeral, byte[] transcript, bool isInitiator, Span<byte> sendKey, Span<byte> receiveKey)
    {
        Span<byte> peerKey = stackalloc byte[NodeId.Length];
        Span<byte> shared = stackalloc byte[Secp256k1.SharedSecretLength];
        peerEphemeral.WriteTo(peerKey);
        try
        {
            if (!ephemeral.TryAgree(peerKey, shared))
                throw new HandshakeException(DisconnectReason.InvalidHandshake, "the peer's ephemeral key is not a point on secp256k1");
            HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, sendKey, transcript,
                isInitiator ? KeyInfoInitiatorToResponder : KeyInfoResponderToInitiator);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, receiveKey, transcript,
                isInitiator ? KeyInfoResponderToInitiator : KeyInfoInitiatorToResponder);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    private static byte[] AuthDigest(byte[] transcript, bool initiatorRole)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(initiatorRole ? AuthLabelInitiator : AuthLabelResponder);
        hash.AppendData(transcript);
        return hash.GetHashAndReset();
    }

    private static async Task ReadPeerAuthAsync(
        Stream stream, FrameOpener opener, NodeId peerKey, byte[] expectedDigest, CancellationToken cancellationToken)
    {
        using var reader = new FrameReader(stream, opener, SignatureLength);
        FrameReadResult frame = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        switch (frame.Status)
        {
            case FrameStatus.Ok:
                break;
            case FrameStatus.EndOfStream:
                throw new HandshakeException(DisconnectReason.RemoteClosed, "the peer closed the connection before its auth frame");
            case FrameStatus.DecryptionFailed:
                throw new HandshakeException(DisconnectReason.DecryptionFailed, "the peer's auth frame does not open under the agreed key");
            default:
                throw new HandshakeException(DisconnectReason.InvalidHandshake, $"the peer's auth frame has body length {frame.BodyLength}");
        }
        if (frame.Type != NetworkMessageType.Auth || frame.Payload.Length != SignatureLength)
        {
            throw new HandshakeException(
                DisconnectReason.InvalidHandshake,
                $"expected an auth frame with a {SignatureLength}-byte signature, got type {frame.Type} with {frame.Payload.Length} bytes");
        }
        Span<byte> publicKey = stackalloc byte[NodeId.Length];
        peerKey.WriteTo(publicKey);
        if (!Secp256k1.Verify(expectedDigest, frame.Payload.Span, publicKey))
            throw new HandshakeException(DisconnectReason.InvalidHandshake, $"the auth signature does not verify under the peer's key {peerKey}");
    }
}

/// <summary>What a node brings to a handshake.</summary>
internal sealed record HandshakeParameters(NodeKey NodeKey, NetworkIdentity Network, ushort ListenPort);

/// <summary>
/// An authenticated peer and the ciphers of its link. The link takes ownership of the sealer and opener;
/// dispose the result only when it is not handed on.
/// </summary>
internal sealed class HandshakeResult(NodeId peerId, ushort peerListenPort, FrameSealer sealer, FrameOpener opener) : IDisposable
{
    public NodeId PeerId { get; } = peerId;

    public ushort PeerListenPort { get; } = peerListenPort;

    public FrameSealer Sealer { get; } = sealer;

    public FrameOpener Opener { get; } = opener;

    public void Dispose()
    {
        Sealer.Dispose();
        Opener.Dispose();
    }
}
