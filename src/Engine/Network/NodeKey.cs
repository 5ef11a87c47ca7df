using System.Security.Cryptography;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Network;

/// <summary>
/// The static secp256k1 key pair that identifies a node on the peer network. The handshake signs with it;
/// nothing else does, so it may be the validator key or a separate key. Dispose zeroes the secret.
/// </summary>
public sealed class NodeKey : IDisposable
{
    private readonly byte[] _secret = new byte[Secp256k1.SecretKeyLength];
    private bool _disposed;

    private NodeKey(ReadOnlySpan<byte> secret32)
    {
        secret32.CopyTo(_secret);
        Span<byte> compressed = stackalloc byte[NodeId.Length];
        if (!Secp256k1.TryGetCompressedPublicKey(_secret, compressed))
        {
            CryptographicOperations.ZeroMemory(_secret);
            throw new ArgumentException("the node key is not a valid secp256k1 secret key (it must be in [1, n-1])", nameof(secret32));
        }
        Id = NodeId.Read(compressed);
    }

    public NodeId Id { get; }

    /// <summary>A fresh key from the operating system's CSPRNG.</summary>
    public static NodeKey Generate()
    {
        Span<byte> secret = stackalloc byte[Secp256k1.SecretKeyLength];
        try
        {
            // A uniform 32-byte string is >= n with probability about 2^-128; the loop is for correctness only.
            do RandomNumberGenerator.Fill(secret);
            while (!Secp256k1.IsValidSecretKey(secret));
            return new NodeKey(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <exception cref="ArgumentException">The secret is not 32 bytes or not in [1, n-1].</exception>
    public static NodeKey FromSecret(ReadOnlySpan<byte> secret32)
    {
        if (secret32.Length != Secp256k1.SecretKeyLength)
            throw new ArgumentException($"a node key is {Secp256k1.SecretKeyLength} bytes, got {secret32.Length}", nameof(secret32));
        return new NodeKey(secret32);
    }

    /// <summary>RFC 6979 ECDSA over a 32-byte digest, compact r||s with low s.</summary>
    public void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Secp256k1.Sign(digest32, _secret, signature64);
    }

    /// <summary>ECDH of this key with a peer's public key (libsecp256k1's SHA-256 of the shared point).</summary>
    internal bool TryAgree(ReadOnlySpan<byte> peerPublicKey, Span<byte> shared32)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Secp256k1.TryEcdh(_secret, peerPublicKey, shared32);
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_secret);
    }

    public override string ToString() => $"NodeKey({Id.ToShortString()})";
}
