using System.Buffers.Binary;
using System.Security.Cryptography;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Network;

/// <summary>
/// The peer-link handshake. Both sides run the same steps:
/// <list type="number">
/// <item>send hello = "NXF1" || chain id (8, big-endian) || ephemeral public key (33) || static public key (33);</item>
/// <item>check the peer's hello (protocol, chain, whether its static key is wanted);</item>
/// <item>shared = ECDH(own ephemeral, peer ephemeral) (libsecp256k1: SHA-256 of the shared point);</item>
/// <item>transcript = SHA-256(domain || chain id || both hellos' keys, ordered by ephemeral key);</item>
/// <item>keys = HKDF-SHA256(shared, salt = transcript, info) → one AES-256-GCM key per direction;</item>
/// <item>each side sends, in the first encrypted frame, its static key's signature over (transcript || its ephemeral key).</item>
/// </list>
/// The signature binds the static identity to this session's ephemeral keys, so a recorded handshake cannot be replayed
/// and a man in the middle, who can run ECDH with each side, cannot sign for either. Fresh ephemeral keys give forward
/// secrecy. Static keys travel in clear (no identity hiding), as in devp2p's RLPx.
/// </summary>
public static class SecureHandshake
{
    public const int HelloLength = 4 + 8 + 33 + 33;

    private static ReadOnlySpan<byte> Magic => "NXF1"u8;

    private static ReadOnlySpan<byte> TranscriptDomain => "nexusfast/link-transcript/v1"u8;

    private static ReadOnlySpan<byte> KeyInfo => "nexusfast/link-keys/v1"u8;

    private static ReadOnlySpan<byte> AuthDomain => "nexusfast/link-auth/v1"u8;

    /// <summary>
    /// Runs the handshake over <paramref name="stream"/>. <paramref name="acceptPeer"/> sees the peer's static key (33
    /// bytes, compressed) and says whether to talk to it: the key an outbound dial expected, or membership of the peer list.
    /// </summary>
    /// <exception cref="SecureChannelException">The peer was refused or failed to authenticate; nothing of it is trusted.</exception>
    public static async Task<SecureChannel> RunAsync(Stream stream, NodeKey local, ulong chainId, Func<byte[], bool> acceptPeer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(acceptPeer);
        NodeKey ephemeral = NodeKey.Generate();
        byte[] hello = new byte[HelloLength];
        Magic.CopyTo(hello);
        BinaryPrimitives.WriteUInt64BigEndian(hello.AsSpan(4), chainId);
        ephemeral.PublicKey.CopyTo(hello, 12);
        local.PublicKey.CopyTo(hello, 45);
        await stream.WriteAsync(hello, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        byte[] peerHello = new byte[HelloLength];
        await SecureChannel.ReadExactlyAsync(stream, peerHello, cancellationToken).ConfigureAwait(false);
        if (!peerHello.AsSpan(0, 4).SequenceEqual(Magic)) throw new SecureChannelException(SecureChannelError.WrongProtocol, "the peer does not speak the NexusFast link protocol v1");
        ulong peerChain = BinaryPrimitives.ReadUInt64BigEndian(peerHello.AsSpan(4));
        if (peerChain != chainId) throw new SecureChannelException(SecureChannelError.WrongChain, $"the peer is on chain {peerChain}, this node on {chainId}");
        byte[] peerEphemeral = peerHello[12..45];
        byte[] peerStatic = peerHello[45..78];
        if (!acceptPeer(peerStatic)) throw new SecureChannelException(SecureChannelError.PeerRefused, $"peer key {Convert.ToHexStringLower(peerStatic)} is not one this node talks to");
        if (peerEphemeral.AsSpan().SequenceEqual(ephemeral.PublicKey)) throw new SecureChannelException(SecureChannelError.BadAuthentication, "the peer reflected our ephemeral key");

        byte[] shared = new byte[Secp256k1.SharedSecretLength];
        if (!Secp256k1.TryEcdh(ephemeral.Secret, peerEphemeral, shared)) throw new SecureChannelException(SecureChannelError.BadAuthentication, "the peer's ephemeral key is not a curve point");
        bool localFirst = ephemeral.PublicKey.AsSpan().SequenceCompareTo(peerEphemeral) < 0;
        byte[] transcript = Transcript(chainId, localFirst ? hello : peerHello, localFirst ? peerHello : hello);
        byte[] keys = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 64, transcript, KeyInfo.ToArray());
        byte[] firstKey = keys[..32], secondKey = keys[32..];
        var channel = new SecureChannel(stream, localFirst ? firstKey : secondKey, localFirst ? secondKey : firstKey, peerStatic);
        try
        {
            byte[] signature = new byte[Secp256k1.SignatureLength];
            Secp256k1.Sign(AuthHash(transcript, ephemeral.PublicKey), local.Secret, signature);
            await channel.SendAsync(signature, cancellationToken).ConfigureAwait(false);
            byte[] peerSignature = await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (peerSignature.Length != Secp256k1.SignatureLength || !Secp256k1.Verify(AuthHash(transcript, peerEphemeral), peerSignature, peerStatic))
                throw new SecureChannelException(SecureChannelError.BadAuthentication, "the peer did not prove it holds its static key");
            return channel;
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    private static byte[] Transcript(ulong chainId, byte[] firstHello, byte[] secondHello)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(TranscriptDomain);
        Span<byte> chain = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(chain, chainId);
        hash.AppendData(chain);
        hash.AppendData(firstHello.AsSpan(12, 66));
        hash.AppendData(secondHello.AsSpan(12, 66));
        return hash.GetHashAndReset();
    }

    private static byte[] AuthHash(byte[] transcript, byte[] ephemeralPublicKey)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(AuthDomain);
        hash.AppendData(transcript);
        hash.AppendData(ephemeralPublicKey);
        return hash.GetHashAndReset();
    }
}
