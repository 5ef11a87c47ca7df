namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>HashML-DSA (FIPS 204 algorithms 4 and 5): M' = 1 || |ctx| || ctx || OID(PH) || PH(M).</summary>
public static partial class MlDsa
{
    /// <summary>
    /// HashML-DSA.Sign over a digest the caller computed (with <see cref="MlDsaPreHashes.ComputeDigest"/> or elsewhere).
    /// Any of the twelve functions is accepted, including ones weaker than the parameter set: FIPS 204 recommends
    /// matching strength but does not require it, and the choice is the caller's policy.
    /// </summary>
    public static void SignPreHash(MlDsaParameters parameters, ReadOnlySpan<byte> secretKey, MlDsaPreHash hash, ReadOnlySpan<byte> digest,
        ReadOnlySpan<byte> context, ReadOnlySpan<byte> random, Span<byte> signature)
    {
        CheckSignArguments(parameters, secretKey, random, signature);
        CheckContext(context);
        int size = MlDsaPreHashes.DigestSize(hash);
        if (digest.Length != size) throw new ArgumentException($"the {hash} digest is {size} bytes, got {digest.Length}", nameof(digest));
        Span<byte> prefix = stackalloc byte[2 + ContextMaxLength + MlDsaPreHashes.OidSize];
        int prefixLength = WritePreHashPrefix(context, hash, prefix);
        Span<byte> mu = stackalloc byte[MuSize];
        MlDsaSigning.ComputeMu(secretKey.Slice(64, PublicKeyHashSize), prefix[..prefixLength], digest, mu);
        MlDsaSigning.Sign(parameters, secretKey, mu, random, signature);
    }

    /// <summary>HashML-DSA.Verify over a digest. False for malformed input, including a digest of the wrong length.</summary>
    public static bool VerifyPreHash(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey, MlDsaPreHash hash, ReadOnlySpan<byte> digest,
        ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!Enum.IsDefined(hash) || digest.Length != MlDsaPreHashes.DigestSize(hash)) return false;
        if (context.Length > ContextMaxLength || publicKey.Length != parameters.PublicKeySize) return false;
        Span<byte> prefix = stackalloc byte[2 + ContextMaxLength + MlDsaPreHashes.OidSize];
        int prefixLength = WritePreHashPrefix(context, hash, prefix);
        Span<byte> tr = stackalloc byte[PublicKeyHashSize];
        KeccakSponge.Shake256(publicKey, [], [], tr);
        Span<byte> mu = stackalloc byte[MuSize];
        MlDsaSigning.ComputeMu(tr, prefix[..prefixLength], digest, mu);
        return MlDsaVerification.Verify(parameters, publicKey, mu, signature);
    }

    private static int WritePreHashPrefix(ReadOnlySpan<byte> context, MlDsaPreHash hash, Span<byte> prefix)
    {
        prefix[0] = 1;
        prefix[1] = (byte)context.Length;
        context.CopyTo(prefix[2..]);
        MlDsaPreHashes.WriteOid(hash, prefix[(2 + context.Length)..]);
        return 2 + context.Length + MlDsaPreHashes.OidSize;
    }
}
