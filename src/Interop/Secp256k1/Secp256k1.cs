using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace NexusFast.Interop.Secp256k1;

/// <summary>
/// secp256k1 over libsecp256k1: keys, RFC 6979 ECDSA with low-s (EIP-2), public key recovery, ECDH and
/// secret-key tweaks. All byte strings are big-endian; signatures are compact r||s.
/// Contract: a span of the wrong length is a programming error and throws <see cref="ArgumentException"/>;
/// bad data (invalid key, signature or point) returns false and leaves every output untouched.
/// Every method is safe to call from any number of threads at once.
/// </summary>
public static unsafe class Secp256k1
{
    // SAFETY (whole class): every pointer handed to libsecp256k1 is either a `fixed` span whose length was
    // checked first against what the C function reads or writes (so it is never empty and never null), or a
    // stackalloc buffer of the opaque struct size from NativeSecp256k1. Native calls keep no pointer after
    // they return, so pinning for the duration of the call is enough.

    public const int SecretKeyLength = 32;
    public const int MessageHashLength = 32;
    public const int SignatureLength = 64;
    public const int PublicKeyLength = 65;
    public const int CompressedPublicKeyLength = 33;
    public const int PublicKeyXYLength = 64;
    public const int SharedSecretLength = 32;
    public const byte RecoveryIdMax = 3;

    /// <summary>The group order n (SEC 2, section 2.4.1).</summary>
    private static ReadOnlySpan<byte> Order =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ];

    /// <summary>
    /// floor(n / 2): the largest s that EIP-2 (homestead) accepts, and the bound secp256k1.h gives for
    /// lower-S form ("between 0x1 and 0x7FFF...20A0, inclusive").
    /// </summary>
    private static ReadOnlySpan<byte> HalfOrder =>
    [
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
    ];

    private static readonly Lock s_initializeLock = new();

    // Published once, after randomization (see Initialize). Never destroyed: it lives as long as the process,
    // and destroying it would race with threads still using it at shutdown.
    private static nint s_context;

    // Set by OnIllegalArgument on the thread that made the failing call (libsecp256k1 calls back synchronously).
    [ThreadStatic]
    private static string? t_illegalArgument;

    /// <summary>
    /// Loads the library and builds the shared context now, so that a missing library is reported at start-up
    /// rather than on the first transaction.
    /// </summary>
    /// <exception cref="DllNotFoundException">libsecp256k1 is not installed; the message says how to install it.</exception>
    public static void EnsureLoaded() => _ = Context;

    // ---- keys ----------------------------------------------------------------------------------------------

    /// <summary>True when 0 &lt; secret &lt; n.</summary>
    public static bool IsValidSecretKey(ReadOnlySpan<byte> secret32)
    {
        RequireLength(secret32, SecretKeyLength, nameof(secret32));
        nint context = Context;
        fixed (byte* secret = secret32)
        {
            return Succeeded(NativeSecp256k1.SecretKeyVerify(context, secret));
        }
    }

    /// <summary>Writes the uncompressed public key 0x04||X||Y; false when the secret is not valid.</summary>
    public static bool TryGetPublicKey(ReadOnlySpan<byte> secret32, Span<byte> publicKey65)
    {
        RequireLength(publicKey65, PublicKeyLength, nameof(publicKey65));
        return TryGetPublicKeyCore(secret32, publicKey65, NativeSecp256k1.EcUncompressed);
    }

    /// <summary>Writes the compressed public key (0x02 | parity of Y)||X; false when the secret is not valid.</summary>
    public static bool TryGetCompressedPublicKey(ReadOnlySpan<byte> secret32, Span<byte> publicKey33)
    {
        RequireLength(publicKey33, CompressedPublicKeyLength, nameof(publicKey33));
        return TryGetPublicKeyCore(secret32, publicKey33, NativeSecp256k1.EcCompressed);
    }

    /// <summary>
    /// secret := (secret + tweak) mod n, the step of BIP-32 private child derivation. The tweak must be below n
    /// (zero is allowed); false, with the secret unchanged, when the secret or tweak is out of range or the
    /// sum is zero.
    /// </summary>
    public static bool TryTweakAddSecret(Span<byte> secret32, ReadOnlySpan<byte> tweak32)
    {
        RequireLength(secret32, SecretKeyLength, nameof(secret32));
        RequireLength(tweak32, SecretKeyLength, nameof(tweak32));
        nint context = Context;
        // libsecp256k1 zeroes the key on failure; working on a copy keeps the caller's key unchanged.
        byte* work = stackalloc byte[SecretKeyLength];
        var workSpan = new Span<byte>(work, SecretKeyLength);
        secret32.CopyTo(workSpan);
        bool ok;
        fixed (byte* tweak = tweak32)
        {
            ok = Succeeded(NativeSecp256k1.SecretKeyTweakAdd(context, work, tweak));
        }
        if (ok) workSpan.CopyTo(secret32);
        CryptographicOperations.ZeroMemory(workSpan);
        return ok;
    }

    /// <summary>
    /// tweaked := publicKey + tweak·G, the public side of <see cref="TryTweakAddSecret"/> (BIP-32 public
    /// derivation). <paramref name="publicKey"/> is 33 or 65 bytes; <paramref name="tweakedPublicKey"/> is 33
    /// bytes (written compressed) or 65 (written uncompressed).
    /// </summary>
    public static bool TryTweakAddPublicKey(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> tweak32, Span<byte> tweakedPublicKey)
    {
        RequirePublicKeyLength(publicKey, nameof(publicKey));
        RequireLength(tweak32, SecretKeyLength, nameof(tweak32));
        RequirePublicKeyLength(tweakedPublicKey, nameof(tweakedPublicKey));
        nint context = Context;
        byte* parsed = stackalloc byte[NativeSecp256k1.PublicKeyStructSize];
        if (!TryParsePublicKey(context, publicKey, parsed)) return false;
        fixed (byte* tweak = tweak32)
        {
            if (!Succeeded(NativeSecp256k1.PublicKeyTweakAdd(context, parsed, tweak))) return false;
        }
        fixed (byte* output = tweakedPublicKey)
        {
            SerializePublicKey(context, parsed, output, tweakedPublicKey.Length);
        }
        return true;
    }

    // ---- ECDSA ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Signs with the RFC 6979 nonce (libsecp256k1's default nonce function), so the same hash and key give the
    /// same signature. The result is always low-s.
    /// </summary>
    /// <exception cref="ArgumentException">A length is wrong, or the secret is not a valid key (0 or &gt;= n).</exception>
    public static void Sign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> secret32, Span<byte> signature64)
    {
        RequireLength(hash32, MessageHashLength, nameof(hash32));
        RequireLength(secret32, SecretKeyLength, nameof(secret32));
        RequireLength(signature64, SignatureLength, nameof(signature64));
        nint context = Context;
        byte* signature = stackalloc byte[NativeSecp256k1.SignatureStructSize];
        fixed (byte* hash = hash32)
        fixed (byte* secret = secret32)
        fixed (byte* output = signature64)
        {
            // A null nonce function selects secp256k1_nonce_function_default (= RFC 6979); the default nonce
            // function practically never fails, so 0 here means the key was invalid (secp256k1.h).
            if (!Succeeded(NativeSecp256k1.Sign(context, signature, hash, secret, 0, null))) ThrowInvalidSecret(nameof(secret32));
            Require(NativeSecp256k1.SignatureSerializeCompact(context, output, signature), "secp256k1_ecdsa_signature_serialize_compact");
        }
    }

    /// <summary>As <see cref="Sign"/>, also giving the recovery id (0 or 1 in practice; 2 and 3 need r ≥ p − n).</summary>
    /// <exception cref="ArgumentException">A length is wrong, or the secret is not a valid key (0 or &gt;= n).</exception>
    public static void SignRecoverable(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> secret32, Span<byte> signature64, out byte recoveryId)
    {
        RequireLength(hash32, MessageHashLength, nameof(hash32));
        RequireLength(secret32, SecretKeyLength, nameof(secret32));
        RequireLength(signature64, SignatureLength, nameof(signature64));
        nint context = Context;
        byte* signature = stackalloc byte[NativeSecp256k1.RecoverableSignatureStructSize];
        int id;
        fixed (byte* hash = hash32)
        fixed (byte* secret = secret32)
        fixed (byte* output = signature64)
        {
            if (!Succeeded(NativeSecp256k1.SignRecoverable(context, signature, hash, secret, 0, null))) ThrowInvalidSecret(nameof(secret32));
            Require(
                NativeSecp256k1.RecoverableSignatureSerializeCompact(context, output, &id, signature),
                "secp256k1_ecdsa_recoverable_signature_serialize_compact");
        }
        if ((uint)id > RecoveryIdMax) ThrowUnexpectedResult("secp256k1_ecdsa_recoverable_signature_serialize_compact");
        recoveryId = (byte)id;
    }

    /// <summary>
    /// True when 0 &lt; r &lt; n and 0 &lt; s ≤ n/2: the signature value rules of Ethereum (yellow paper
    /// appendix F, with EIP-2's low-s). Recovery and verification apply it themselves; callers use it to
    /// report a malformed signature apart from one that does not recover.
    /// </summary>
    public static bool IsCanonicalSignature(ReadOnlySpan<byte> signature64)
    {
        RequireLength(signature64, SignatureLength, nameof(signature64));
        ReadOnlySpan<byte> r = signature64[..32];
        ReadOnlySpan<byte> s = signature64[32..];
        // Equal-length big-endian byte strings compare as numbers under lexicographic order.
        return r.ContainsAnyExcept((byte)0) && r.SequenceCompareTo(Order) < 0
            && s.ContainsAnyExcept((byte)0) && s.SequenceCompareTo(HalfOrder) <= 0;
    }

    /// <summary>
    /// Recovers the signer's uncompressed public key 0x04||X||Y. False for a non-canonical signature (see
    /// <see cref="IsCanonicalSignature"/>: high-s is rejected although libsecp256k1's recovery would accept it),
    /// a recovery id above 3, an r that is no point's X coordinate, or a result at infinity.
    /// </summary>
    public static bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, byte recoveryId, Span<byte> publicKey65)
    {
        RequireLength(hash32, MessageHashLength, nameof(hash32));
        RequireLength(signature64, SignatureLength, nameof(signature64));
        RequireLength(publicKey65, PublicKeyLength, nameof(publicKey65));
        nint context = Context;
        byte* parsed = stackalloc byte[NativeSecp256k1.PublicKeyStructSize];
        if (!TryRecoverCore(context, hash32, signature64, recoveryId, parsed)) return false;
        fixed (byte* output = publicKey65)
        {
            SerializePublicKey(context, parsed, output, PublicKeyLength);
        }
        return true;
    }

    /// <summary>
    /// As <see cref="TryRecover"/>, writing X||Y without the 0x04 prefix: the 64 bytes whose Keccak-256 gives
    /// the Ethereum address (yellow paper, appendix F: the sender is the last 20 bytes of that hash).
    /// </summary>
    public static bool TryRecoverXY(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, byte recoveryId, Span<byte> publicKeyXY64)
    {
        RequireLength(hash32, MessageHashLength, nameof(hash32));
        RequireLength(signature64, SignatureLength, nameof(signature64));
        RequireLength(publicKeyXY64, PublicKeyXYLength, nameof(publicKeyXY64));
        nint context = Context;
        byte* parsed = stackalloc byte[NativeSecp256k1.PublicKeyStructSize];
        if (!TryRecoverCore(context, hash32, signature64, recoveryId, parsed)) return false;
        byte* serialized = stackalloc byte[PublicKeyLength];
        SerializePublicKey(context, parsed, serialized, PublicKeyLength);
        // SAFETY: serialized holds 65 bytes; skipping the 0x04 prefix leaves exactly 64.
        new ReadOnlySpan<byte>(serialized + 1, PublicKeyXYLength).CopyTo(publicKeyXY64);
        return true;
    }

    /// <summary>
    /// True when the signature is canonical (see <see cref="IsCanonicalSignature"/>) and valid for the hash and
    /// the public key (33 bytes compressed or 65 bytes uncompressed; hybrid 0x06/0x07 keys are refused).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> publicKey)
    {
        RequireLength(hash32, MessageHashLength, nameof(hash32));
        RequireLength(signature64, SignatureLength, nameof(signature64));
        RequirePublicKeyLength(publicKey, nameof(publicKey));
        // secp256k1_ecdsa_verify already refuses high-s ("only ECDSA signatures in lower-S form are accepted");
        // checking here too keeps Verify and TryRecover on one written rule.
        if (!IsCanonicalSignature(signature64)) return false;
        nint context = Context;
        byte* parsedKey = stackalloc byte[NativeSecp256k1.PublicKeyStructSize];
        byte* parsedSignature = stackalloc byte[NativeSecp256k1.SignatureStructSize];
        if (!TryParsePublicKey(context, publicKey, parsedKey)) return false;
        fixed (byte* input = signature64)
        fixed (byte* hash = hash32)
        {
            if (!Succeeded(NativeSecp256k1.SignatureParseCompact(context, parsedSignature, input))) return false;
            return Succeeded(NativeSecp256k1.Verify(context, parsedSignature, hash, parsedKey));
        }
    }

    // ---- ECDH ----------------------------------------------------------------------------------------------

    /// <summary>
    /// libsecp256k1's default ECDH: SHA-256 of the compressed shared point (0x02 | parity of Y)||X.
    /// False when the secret is invalid or the public key (33 or 65 bytes) does not parse.
    /// </summary>
    public static bool TryEcdh(ReadOnlySpan<byte> secret32, ReadOnlySpan<byte> publicKey, Span<byte> shared32) =>
        TryEcdhCore(secret32, publicKey, shared32, null, nameof(shared32));

    /// <summary>
    /// ECDH giving the raw X coordinate of secret·publicKey (what devp2p's RLPx and ECIES feed into their KDF)
    /// instead of its hash. Same failure rules as <see cref="TryEcdh"/>.
    /// </summary>
    public static bool TryEcdhRawX(ReadOnlySpan<byte> secret32, ReadOnlySpan<byte> publicKey, Span<byte> sharedX32) =>
        TryEcdhCore(secret32, publicKey, sharedX32, &CopyX, nameof(sharedX32));

    // ---- internals -----------------------------------------------------------------------------------------

    /// <summary>The process-wide context; built and randomized on first use.</summary>
    internal static nint Context
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            nint context = Volatile.Read(ref s_context);
            return context != 0 ? context : Initialize();
        }
    }

    /// <summary>
    /// True when libsecp256k1 returned 1. Throws when it reported an illegal argument during the call, since
    /// then its return value and outputs are undefined (secp256k1.h, secp256k1_context_set_illegal_callback).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Succeeded(int result)
    {
        if (t_illegalArgument is not null) ThrowIllegalArgument();
        return result == 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint Initialize()
    {
        lock (s_initializeLock)
        {
            if (s_context != 0) return s_context;

            // Every import but context_create takes a context, and a context is only obtained here: so the
            // resolver is registered before the first call that could load the library.
            NativeLibraryResolver.EnsureRegistered();
            nint context = NativeSecp256k1.ContextCreate(NativeSecp256k1.ContextNone);
            if (context == 0) throw new InvalidOperationException("secp256k1_context_create returned NULL (out of memory)");

            // The default illegal-argument callback prints and calls abort(), taking the whole node down. The
            // wrapper validates lengths and ranges before each call, so an illegal argument can only come from
            // a wrapper bug; we record it and turn it into an exception on the calling thread (the header
            // promises the call itself then does not crash). The error callback is different: it fires on
            // memory corruption or a miscompiled library, after which "anything may happen", so it fails fast.
            NativeSecp256k1.ContextSetIllegalCallback(context, &OnIllegalArgument, null);
            NativeSecp256k1.ContextSetErrorCallback(context, &OnInternalError, null);

            // Randomization blinds the secret-scalar multiplications against side channels (secp256k1.h,
            // secp256k1_context_randomize). It needs exclusive access to the context; doing it once, before
            // the context is published, makes every later call (all take a const context) safe from many
            // threads without locking: "either do it once at creation time (in which case you do not need any
            // locking for the other calls), or use a read-write lock" (secp256k1.h, secp256k1_context).
            byte* seed = stackalloc byte[32];
            var seedSpan = new Span<byte>(seed, 32);
            RandomNumberGenerator.Fill(seedSpan);
            int randomized = NativeSecp256k1.ContextRandomize(context, seed);
            CryptographicOperations.ZeroMemory(seedSpan);
            if (!Succeeded(randomized))
            {
                NativeSecp256k1.ContextDestroy(context);
                throw new InvalidOperationException("secp256k1_context_randomize failed");
            }

            Volatile.Write(ref s_context, context);
            return context;
        }
    }

    private static bool TryGetPublicKeyCore(ReadOnlySpan<byte> secret32, Span<byte> publicKey, uint flags)
    {
        RequireLength(secret32, SecretKeyLength, nameof(secret32));
        nint context = Context;
        byte* parsed = stackalloc byte[NativeSecp256k1.PublicKeyStructSize];
        fixed (byte* secret = secret32)
        {
            if (!Succeeded(NativeSecp256k1.PublicKeyCreate(context, parsed, secret))) return false;
        }
        fixed (byte* output = publicKey)
        {
            SerializePublicKey(context, parsed, output, publicKey.Length, flags);
        }
        return true;
    }

    private static bool TryRecoverCore(
        nint context, ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, byte recoveryId, byte* parsedPublicKey)
    {
        // A recovery id above 3 is an illegal argument to parse_compact (ARG_CHECK), so it is refused here;
        // high-s is refused here because secp256k1_ecdsa_recover does not check it.
        if (recoveryId > RecoveryIdMax || !IsCanonicalSignature(signature64)) return false;
        byte* signature = stackalloc byte[NativeSecp256k1.RecoverableSignatureStructSize];
        fixed (byte* input = signature64)
        fixed (byte* hash = hash32)
        {
            if (!Succeeded(NativeSecp256k1.RecoverableSignatureParseCompact(context, signature, input, recoveryId))) return false;
            return Succeeded(NativeSecp256k1.Recover(context, parsedPublicKey, signature, hash));
        }
    }

    private static bool TryEcdhCore(
        ReadOnlySpan<byte> secret32,
        ReadOnlySpan<byte> publicKey,
        Span<byte> shared32,
        delegate* unmanaged[Cdecl]<byte*, byte*, byte*, void*, int> hashFunction,
        string sharedParameterName)
    {
        RequireLength(secret32, SecretKeyLength, nameof(secret32));
        RequirePublicKeyLength(publicKey, nameof(publicKey));
        RequireLength(shared32, SharedSecretLength, sharedParameterName);
        nint context = Context;
        byte* parsed = stackalloc byte[NativeSecp256k1.PublicKeyStructSize];
        if (!TryParsePublicKey(context, publicKey, parsed)) return false;
        // secp256k1_ecdh hashes and writes the output even when it fails (an invalid scalar is replaced by 1),
        // so it writes into a scratch buffer that reaches the caller only on success.
        byte* work = stackalloc byte[SharedSecretLength];
        var workSpan = new Span<byte>(work, SharedSecretLength);
        bool ok;
        fixed (byte* secret = secret32)
        {
            ok = Succeeded(NativeSecp256k1.Ecdh(context, work, parsed, secret, hashFunction, null));
        }
        if (ok) workSpan.CopyTo(shared32);
        CryptographicOperations.ZeroMemory(workSpan);
        return ok;
    }

    /// <summary>
    /// Parses a 33-byte compressed or 65-byte uncompressed key. Hybrid keys (0x06/0x07), which libsecp256k1
    /// would accept, are refused: no Ethereum format uses them, and accepting them gives one key two encodings.
    /// </summary>
    private static bool TryParsePublicKey(nint context, ReadOnlySpan<byte> publicKey, byte* parsed)
    {
        byte prefix = publicKey[0];
        bool knownPrefix = publicKey.Length == PublicKeyLength ? prefix == 0x04 : prefix is 0x02 or 0x03;
        if (!knownPrefix) return false;
        fixed (byte* input = publicKey)
        {
            return Succeeded(NativeSecp256k1.PublicKeyParse(context, parsed, input, (nuint)publicKey.Length));
        }
    }

    private static void SerializePublicKey(nint context, byte* parsed, byte* output, int outputLength) =>
        SerializePublicKey(
            context, parsed, output, outputLength,
            outputLength == CompressedPublicKeyLength ? NativeSecp256k1.EcCompressed : NativeSecp256k1.EcUncompressed);

    private static void SerializePublicKey(nint context, byte* parsed, byte* output, int outputLength, uint flags)
    {
        nuint written = (nuint)outputLength;
        Require(NativeSecp256k1.PublicKeySerialize(context, output, &written, parsed, flags), "secp256k1_ec_pubkey_serialize");
        if (written != (nuint)outputLength) ThrowUnexpectedResult("secp256k1_ec_pubkey_serialize");
    }

    /// <summary>ECDH hash callback that keeps X unhashed (secp256k1_ecdh_hash_function, secp256k1_ecdh.h).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CopyX(byte* output, byte* x32, byte* y32, void* data)
    {
        // SAFETY: libsecp256k1 passes a 32-byte x32 and our own 32-byte scratch buffer as output.
        new ReadOnlySpan<byte>(x32, 32).CopyTo(new Span<byte>(output, 32));
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnIllegalArgument(byte* message, void* data)
    {
        // SAFETY: libsecp256k1 passes a NUL-terminated static string (the failed ARG_CHECK condition).
        t_illegalArgument = Marshal.PtrToStringUTF8((nint)message) ?? "(no message)";
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnInternalError(byte* message, void* data)
    {
        // SAFETY: as above, a NUL-terminated static string.
        Environment.FailFast(
            "libsecp256k1 internal consistency check failed (memory corruption, hardware fault or a broken " +
            $"library build): {Marshal.PtrToStringUTF8((nint)message)}");
    }

    private static void Require(int result, string function)
    {
        if (!Succeeded(result)) ThrowUnexpectedResult(function);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RequireLength(ReadOnlySpan<byte> span, int expected, string parameterName)
    {
        if (span.Length != expected) ThrowWrongLength(parameterName, expected, span.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RequirePublicKeyLength(ReadOnlySpan<byte> span, string parameterName)
    {
        if (span.Length is not (CompressedPublicKeyLength or PublicKeyLength)) ThrowWrongPublicKeyLength(parameterName, span.Length);
    }

    [DoesNotReturn]
    private static void ThrowWrongLength(string parameterName, int expected, int actual) =>
        throw new ArgumentException($"{parameterName} must be exactly {expected} bytes, got {actual}", parameterName);

    [DoesNotReturn]
    private static void ThrowWrongPublicKeyLength(string parameterName, int actual) =>
        throw new ArgumentException(
            $"{parameterName} must be 33 bytes (compressed) or 65 bytes (uncompressed), got {actual}", parameterName);

    [DoesNotReturn]
    private static void ThrowInvalidSecret(string parameterName) =>
        throw new ArgumentException($"{parameterName} is not a valid secp256k1 secret key (it must be in [1, n-1])", parameterName);

    [DoesNotReturn]
    private static void ThrowUnexpectedResult(string function) =>
        throw new InvalidOperationException($"{function} returned a result its contract rules out");

    [DoesNotReturn]
    private static void ThrowIllegalArgument()
    {
        string message = t_illegalArgument ?? string.Empty;
        t_illegalArgument = null;
        throw new InvalidOperationException(
            $"libsecp256k1 rejected an argument as illegal ({message}); the wrapper validates arguments before " +
            "each call, so this is a NexusFast bug");
    }
}
