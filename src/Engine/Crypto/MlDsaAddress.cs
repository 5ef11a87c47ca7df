using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Accounts of ML-DSA-65 keys: the key hash and the address. Here in Crypto (beside the ECDSA derivation in
/// <see cref="AddressChecksum"/>) so that keystores and transactions derive them the same way.
/// </summary>
public static class MlDsaAddress
{
    public const int PublicKeySize = 1952;

    /// <summary>
    /// Prefix of the address preimage. An ECDSA address hashes exactly 64 bytes (X || Y); this preimage is 27 + 1,952
    /// bytes and starts with text, so the two derivations never hash the same input and their addresses meet only
    /// through a Keccak-256 collision on 160 bits.
    /// </summary>
    public static ReadOnlySpan<byte> AddressDomain => "nexus/ml-dsa-65/address/v1:"u8;

    /// <summary>Keccak-256 of the public key: what a key-hash transaction carries and the key registry is keyed by.</summary>
    public static Hash256 ComputeKeyHash(ReadOnlySpan<byte> publicKey)
    {
        CheckPublicKeyLength(publicKey.Length);
        return Keccak256.Compute(publicKey);
    }

    /// <summary>The address of a public key: the last 20 bytes of Keccak-256(<see cref="AddressDomain"/> || publicKey).</summary>
    public static Address Of(ReadOnlySpan<byte> publicKey)
    {
        CheckPublicKeyLength(publicKey.Length);
        ReadOnlySpan<byte> domain = AddressDomain;
        Span<byte> preimage = stackalloc byte[domain.Length + PublicKeySize];
        domain.CopyTo(preimage);
        publicKey.CopyTo(preimage.Slice(domain.Length));
        Span<byte> digest = stackalloc byte[Keccak256.HashLength];
        Keccak256.Hash(preimage, digest);
        return new Address(digest.Slice(Keccak256.HashLength - Address.Size));
    }

    /// <summary>The address of the ML-DSA-65 key pair generated from a 32-byte seed (FIPS 204 algorithm 6).</summary>
    public static Address FromSeed(ReadOnlySpan<byte> seed)
    {
        MlDsaParameters parameters = MlDsaParameters.MlDsa65;
        var publicKey = new byte[parameters.PublicKeySize];
        var secretKey = new byte[parameters.SecretKeySize];
        try
        {
            MlDsa.MlDsaScheme.GenerateKey(parameters, seed, publicKey, secretKey);
            return Of(publicKey);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secretKey);
        }
    }

    private static void CheckPublicKeyLength(int length)
    {
        if (length != PublicKeySize)
            throw new ArgumentException($"an ML-DSA-65 public key has {PublicKeySize} bytes, got {length}", "publicKey");
    }
}
