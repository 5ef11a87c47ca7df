namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// A public key decoded and expanded once for repeated verification: the matrix A = ExpandA(rho) and NTT(t1 * 2^d), which
/// are most of the work of a verification, and tr = H(pk, 64). Immutable after construction, so any number of threads
/// may verify with one instance at once. About 37 KB for ML-DSA-65 (30 + 6 polynomials of 1 KB, plus the encoding).
/// </summary>
public sealed class MlDsaPublicKey
{
    private readonly int[] _matrix;
    private readonly int[] _t1Hat;
    private readonly byte[] _encoded;
    private readonly byte[] _tr;

    private MlDsaPublicKey(MlDsaParameters parameters, byte[] encoded)
    {
        Parameters = parameters;
        _encoded = encoded;
        _matrix = new int[parameters.K * parameters.L * MlDsaField.N];
        _t1Hat = new int[parameters.K * MlDsaField.N];
        MlDsaVerification.ExpandPublicKey(parameters, encoded, _matrix, _t1Hat);
        _tr = new byte[MlDsa.PublicKeyHashSize];
        KeccakSponge.Shake256(encoded, [], [], _tr);
    }

    public MlDsaParameters Parameters { get; }

    /// <summary>The pkEncode bytes this key was made from.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>The same bytes as the cache's dictionary key (never handed out of the assembly, so never mutated).</summary>
    internal byte[] EncodedArray => _encoded;

    /// <summary>tr = H(pk, 64), the key's hash that mu binds.</summary>
    public ReadOnlySpan<byte> Hash => _tr;

    /// <summary>Decodes and expands <paramref name="publicKey"/>; throws <see cref="ArgumentException"/> for a wrong length.</summary>
    public static MlDsaPublicKey Create(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        MlDsa.CheckLength(publicKey.Length, parameters.PublicKeySize, "public key", nameof(publicKey));
        return new MlDsaPublicKey(parameters, publicKey.ToArray());
    }

    /// <summary>ML-DSA.Verify (pure, with a context of at most 255 bytes); false for any malformed input.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        if (context.Length > MlDsa.ContextMaxLength) return false;
        Span<byte> prefix = stackalloc byte[2 + MlDsa.ContextMaxLength];
        int prefixLength = MlDsa.WritePurePrefix(context, prefix);
        Span<byte> mu = stackalloc byte[MlDsa.MuSize];
        MlDsaSigning.ComputeMu(_tr, prefix[..prefixLength], message, mu);
        return MlDsaVerification.VerifyExpanded(Parameters, _matrix, _t1Hat, mu, signature);
    }

    /// <summary>Verify_internal with M' as given.</summary>
    public bool VerifyInternal(ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> signature)
    {
        Span<byte> mu = stackalloc byte[MlDsa.MuSize];
        MlDsaSigning.ComputeMu(_tr, [], messagePrime, mu);
        return MlDsaVerification.VerifyExpanded(Parameters, _matrix, _t1Hat, mu, signature);
    }

    /// <summary>Verify_internal with mu supplied (external mu); false when mu is not 64 bytes.</summary>
    public bool VerifyMu(ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature) =>
        MlDsaVerification.VerifyExpanded(Parameters, _matrix, _t1Hat, mu, signature);
}
