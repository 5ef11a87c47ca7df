using System.Security.Cryptography;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Network;

/// <summary>A node's static secp256k1 identity key for peer links (separate from its validator key).</summary>
public sealed class NodeKey
{
    private readonly byte[] _secret;

    /// <exception cref="ArgumentException">Not a valid secp256k1 secret key.</exception>
    public NodeKey(ReadOnlySpan<byte> secret32)
    {
        _secret = secret32.ToArray();
        PublicKey = new byte[Secp256k1.CompressedPublicKeyLength];
        if (!Secp256k1.TryGetCompressedPublicKey(_secret, PublicKey)) throw new ArgumentException("not a valid secp256k1 secret key", nameof(secret32));
    }

    /// <summary>The compressed public key (33 bytes): the node's identity on the wire.</summary>
    public byte[] PublicKey { get; }

    internal ReadOnlySpan<byte> Secret => _secret;

    /// <summary>A fresh random key (ephemeral keys of the handshake, or a new node identity).</summary>
    public static NodeKey Generate()
    {
        Span<byte> secret = stackalloc byte[Secp256k1.SecretKeyLength];
        do
        {
            RandomNumberGenerator.Fill(secret);
        }
        while (!Secp256k1.IsValidSecretKey(secret));
        return new NodeKey(secret);
    }
}
