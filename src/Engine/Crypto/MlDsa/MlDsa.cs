using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// ML-DSA (FIPS 204, August 2024): key generation from a 32-byte seed, signing (hedged or deterministic, with a context
/// string of up to 255 bytes), verification, the internal interface with an externally computed mu, and HashML-DSA
/// (<see cref="MlDsaPreHash"/>). Keys and signatures use the encodings of FIPS 204 section 7.2; the secret key is the
/// expanded encoding (rho, K, tr, s1, s2, t0).
/// </summary>
/// <remarks>
/// Verification never throws for bad input of the right shape or the wrong one: a key or signature of the wrong length,
/// a context longer than 255 bytes, a hint that does not decode, all return false, so that one bad transaction cannot
/// abort a batch. Signing and key generation throw <see cref="ArgumentException"/> for wrong buffer sizes and contexts,
/// before touching the output.
/// Constant time (key generation and signing): see the remarks on <see cref="Sampling"/>, <see cref="PolyMath"/> and
/// <see cref="Packing"/>. The one secret-dependent branch is the accept/reject decision of the signing loop, taken once
/// per attempt on a mask that folds all four rejection conditions together (so which condition failed is not
/// revealed either); the secret-key decoder (MlDsaSigning.DecodeSecretKey) checks coefficient ranges the same way.
/// </remarks>
public static partial class MlDsa
{
    public const int SeedSize = 32;
    public const int RandomSize = 32;
    public const int MuSize = 64;
    public const int ContextMaxLength = 255;

    /// <summary>Bytes of tr = H(pk, 64).</summary>
    internal const int PublicKeyHashSize = 64;

    /// <summary>
    /// FIPS 204 appendix C: a signer may bound the loop; 814 attempts fail with probability below 2^-256 for every
    /// parameter set. Reaching it means a broken key (or a broken implementation), not bad luck.
    /// </summary>
    private const int SignAttemptsMax = 814;

    static MlDsa()
    {
        // KeccakSponge reads the Keccak lanes as bytes in memory order.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ML-DSA here assumes a little-endian CPU");
    }

    // ---------------- key generation ----------------

    /// <summary>ML-DSA.KeyGen_internal(xi) (FIPS 204 algorithm 6): the same seed always gives the same keys.</summary>
    public static void GenerateKey(MlDsaParameters parameters, ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (seed.Length != SeedSize) throw new ArgumentException($"the key generation seed is {SeedSize} bytes, got {seed.Length}", nameof(seed));
        CheckLength(publicKey.Length, parameters.PublicKeySize, "public key", nameof(publicKey));
        CheckLength(secretKey.Length, parameters.SecretKeySize, "secret key", nameof(secretKey));
        MlDsaKeyGeneration.Generate(parameters, seed, publicKey, secretKey);
    }

    /// <summary>ML-DSA.KeyGen (FIPS 204 algorithm 1): a fresh seed from the operating system's generator.</summary>
    public static void GenerateKey(MlDsaParameters parameters, Span<byte> publicKey, Span<byte> secretKey)
    {
        Span<byte> seed = stackalloc byte[SeedSize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            GenerateKey(parameters, seed, publicKey, secretKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    // ---------------- signing ----------------

    /// <summary>ML-DSA.Sign (FIPS 204 algorithm 2), hedged: rnd is 32 fresh bytes from the operating system.</summary>
    public static void Sign(MlDsaParameters parameters, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature)
    {
        Span<byte> random = stackalloc byte[RandomSize];
        RandomNumberGenerator.Fill(random);
        Sign(parameters, secretKey, message, context, random, signature);
    }

    /// <summary>ML-DSA.Sign, deterministic variant: rnd = 32 zero bytes.</summary>
    public static void SignDeterministic(MlDsaParameters parameters, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature)
    {
        Span<byte> random = stackalloc byte[RandomSize];
        random.Clear();
        Sign(parameters, secretKey, message, context, random, signature);
    }

    /// <summary>ML-DSA.Sign with a caller-supplied rnd (hedged signing with the caller's randomness, or test vectors).</summary>
    public static void Sign(MlDsaParameters parameters, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> random, Span<byte> signature)
    {
        CheckSignArguments(parameters, secretKey, random, signature);
        CheckContext(context);
        Span<byte> mu = stackalloc byte[MuSize];
        Span<byte> prefix = stackalloc byte[2 + ContextMaxLength];
        int prefixLength = WritePurePrefix(context, prefix);
        MlDsaSigning.ComputeMu(secretKey.Slice(64, PublicKeyHashSize), prefix[..prefixLength], message, mu);
        MlDsaSigning.Sign(parameters, secretKey, mu, random, signature);
    }

    /// <summary>ML-DSA.Sign_internal (FIPS 204 algorithm 7): signs M' exactly as given, with no prefix.</summary>
    public static void SignInternal(MlDsaParameters parameters, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> random, Span<byte> signature)
    {
        CheckSignArguments(parameters, secretKey, random, signature);
        Span<byte> mu = stackalloc byte[MuSize];
        MlDsaSigning.ComputeMu(secretKey.Slice(64, PublicKeyHashSize), [], messagePrime, mu);
        MlDsaSigning.Sign(parameters, secretKey, mu, random, signature);
    }

    /// <summary>Sign_internal with mu = H(tr || M', 64) computed elsewhere (the "external mu" interface).</summary>
    public static void SignMu(MlDsaParameters parameters, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> random, Span<byte> signature)
    {
        CheckSignArguments(parameters, secretKey, random, signature);
        if (mu.Length != MuSize) throw new ArgumentException($"mu is {MuSize} bytes, got {mu.Length}", nameof(mu));
        MlDsaSigning.Sign(parameters, secretKey, mu, random, signature);
    }

    // ---------------- verification ----------------

    /// <summary>ML-DSA.Verify (FIPS 204 algorithm 3). False for every malformed input; never throws for it.</summary>
    public static bool Verify(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (context.Length > ContextMaxLength || publicKey.Length != parameters.PublicKeySize) return false;
        Span<byte> mu = stackalloc byte[MuSize];
        Span<byte> prefix = stackalloc byte[2 + ContextMaxLength];
        int prefixLength = WritePurePrefix(context, prefix);
        Span<byte> tr = stackalloc byte[PublicKeyHashSize];
        KeccakSponge.Shake256(publicKey, [], [], tr);
        MlDsaSigning.ComputeMu(tr, prefix[..prefixLength], message, mu);
        return MlDsaVerification.Verify(parameters, publicKey, mu, signature);
    }

    /// <summary>ML-DSA.Verify_internal (FIPS 204 algorithm 8): M' as given, no prefix.</summary>
    public static bool VerifyInternal(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (publicKey.Length != parameters.PublicKeySize) return false;
        Span<byte> mu = stackalloc byte[MuSize];
        Span<byte> tr = stackalloc byte[PublicKeyHashSize];
        KeccakSponge.Shake256(publicKey, [], [], tr);
        MlDsaSigning.ComputeMu(tr, [], messagePrime, mu);
        return MlDsaVerification.Verify(parameters, publicKey, mu, signature);
    }

    /// <summary>Verify_internal with mu supplied (external mu).</summary>
    public static bool VerifyMu(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (publicKey.Length != parameters.PublicKeySize || mu.Length != MuSize) return false;
        return MlDsaVerification.Verify(parameters, publicKey, mu, signature);
    }

    /// <summary>
    /// mu = H(H(pk, 64) || 0 || |ctx| || ctx || M, 64): the message representative of the pure external interface, for a
    /// signer or verifier that receives mu from elsewhere.
    /// </summary>
    public static void ComputeMu(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> mu)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckLength(publicKey.Length, parameters.PublicKeySize, "public key", nameof(publicKey));
        CheckContext(context);
        CheckLength(mu.Length, MuSize, "mu", nameof(mu));
        Span<byte> tr = stackalloc byte[PublicKeyHashSize];
        KeccakSponge.Shake256(publicKey, [], [], tr);
        Span<byte> prefix = stackalloc byte[2 + ContextMaxLength];
        int prefixLength = WritePurePrefix(context, prefix);
        MlDsaSigning.ComputeMu(tr, prefix[..prefixLength], message, mu);
    }

    // ---------------- helpers ----------------

    /// <summary>0 || |ctx| || ctx: the domain separator of pure ML-DSA (FIPS 204 algorithm 2, line 10).</summary>
    internal static int WritePurePrefix(ReadOnlySpan<byte> context, Span<byte> prefix)
    {
        prefix[0] = 0;
        prefix[1] = (byte)context.Length;
        context.CopyTo(prefix[2..]);
        return 2 + context.Length;
    }

    internal static void CheckSignArguments(MlDsaParameters parameters, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> random, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckLength(secretKey.Length, parameters.SecretKeySize, "secret key", nameof(secretKey));
        CheckLength(random.Length, RandomSize, "rnd", nameof(random));
        CheckLength(signature.Length, parameters.SignatureSize, "signature", nameof(signature));
    }

    internal static void CheckContext(ReadOnlySpan<byte> context)
    {
        if (context.Length > ContextMaxLength) ThrowContextTooLong(context.Length);
    }

    internal static void CheckLength(int actual, int expected, string what, string parameterName)
    {
        if (actual != expected) ThrowWrongLength(actual, expected, what, parameterName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongLength(int actual, int expected, string what, string parameterName) =>
        throw new ArgumentException($"the {what} is {expected} bytes for this parameter set, got {actual}", parameterName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowContextTooLong(int length) =>
        throw new ArgumentException($"the context string is at most {ContextMaxLength} bytes, got {length}", "context");

    internal static int AttemptsMax => SignAttemptsMax;
}
