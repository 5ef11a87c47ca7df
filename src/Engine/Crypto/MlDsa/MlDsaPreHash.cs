using System.Security.Cryptography;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>The pre-hash functions HashML-DSA names by OID (FIPS 204 section 5.4; OIDs from NIST's CSOR arc 2.16.840.1.101.3.4.2).</summary>
public enum MlDsaPreHash
{
    Sha2_256 = 0x01,
    Sha2_384 = 0x02,
    Sha2_512 = 0x03,
    Sha2_224 = 0x04,
    Sha2_512_224 = 0x05,
    Sha2_512_256 = 0x06,
    Sha3_224 = 0x07,
    Sha3_256 = 0x08,
    Sha3_384 = 0x09,
    Sha3_512 = 0x0A,
    Shake128 = 0x0B,
    Shake256 = 0x0C,
}

/// <summary>Digest lengths, OIDs and the digests themselves for <see cref="MlDsaPreHash"/>.</summary>
public static class MlDsaPreHashes
{
    /// <summary>DER of the OID without its last byte (which is the enum value): 06 09 60 86 48 01 65 03 04 02.</summary>
    private static ReadOnlySpan<byte> OidPrefix => [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];

    /// <summary>Bytes of an encoded OID.</summary>
    public const int OidSize = 11;

    /// <summary>The digest length PH(M) has for this function (SHAKE-128: 256 bits, SHAKE-256: 512 bits, per FIPS 204).</summary>
    public static int DigestSize(MlDsaPreHash hash) => hash switch
    {
        MlDsaPreHash.Sha2_256 or MlDsaPreHash.Sha2_512_256 or MlDsaPreHash.Sha3_256 or MlDsaPreHash.Shake128 => 32,
        MlDsaPreHash.Sha2_384 or MlDsaPreHash.Sha3_384 => 48,
        MlDsaPreHash.Sha2_512 or MlDsaPreHash.Sha3_512 or MlDsaPreHash.Shake256 => 64,
        MlDsaPreHash.Sha2_224 or MlDsaPreHash.Sha2_512_224 or MlDsaPreHash.Sha3_224 => 28,
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "not a HashML-DSA pre-hash function"),
    };

    internal static void WriteOid(MlDsaPreHash hash, Span<byte> output)
    {
        OidPrefix.CopyTo(output);
        output[OidSize - 1] = (byte)hash;
    }

    /// <summary>PH(M): the digest of <paramref name="message"/>; <paramref name="digest"/> is <see cref="DigestSize"/> bytes.</summary>
    public static void ComputeDigest(MlDsaPreHash hash, ReadOnlySpan<byte> message, Span<byte> digest)
    {
        int size = DigestSize(hash);
        if (digest.Length != size) throw new ArgumentException($"the {hash} digest is {size} bytes, got {digest.Length}", nameof(digest));
        switch (hash)
        {
            case MlDsaPreHash.Sha2_256: SHA256.HashData(message, digest); break;
            case MlDsaPreHash.Sha2_384: SHA384.HashData(message, digest); break;
            case MlDsaPreHash.Sha2_512: SHA512.HashData(message, digest); break;
            case MlDsaPreHash.Sha2_224: Sha2Truncated.Sha224(message, digest); break;
            case MlDsaPreHash.Sha2_512_224: Sha2Truncated.Sha512T(224, message, digest); break;
            case MlDsaPreHash.Sha2_512_256: Sha2Truncated.Sha512T(256, message, digest); break;
            case MlDsaPreHash.Shake128:
            case MlDsaPreHash.Shake256:
            {
                KeccakSponge sponge = hash == MlDsaPreHash.Shake128 ? KeccakSponge.Create128() : KeccakSponge.Create256();
                sponge.Absorb(message);
                sponge.Squeeze(digest);
                break;
            }
            default:
            {
                // SHA3-224/256/384/512 with our own sponge: one code path, and SHA3-224 is not in .NET.
                KeccakSponge sponge = KeccakSponge.CreateSha3(size);
                sponge.Absorb(message);
                sponge.Squeeze(digest);
                break;
            }
        }
    }
}
