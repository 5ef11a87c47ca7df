using System.Security.Cryptography;
using System.Text;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// Ethereum keystore files (Web3 Secret Storage Definition, version 3), readable by geth and ethers:
/// derivedKey = KDF(passphrase, salt) (32 bytes); ciphertext = AES-128-CTR(derivedKey[0..16], iv, secret key);
/// mac = Keccak-256(derivedKey[16..32] || ciphertext). Writes scrypt keystores; reads scrypt and PBKDF2-HMAC-SHA256.
/// </summary>
/// <remarks>
/// The passphrase is hashed as its UTF-8 bytes, exactly as given (geth does the same). ethers first applies NFKC, which
/// changes nothing for ASCII and for text already in NFKC (what keyboards produce); only a passphrase with
/// compatibility characters (full-width letters, ligatures, ...) would differ. This build cannot normalize Unicode
/// (invariant globalization), so it does not try.
/// </remarks>
public static class Keystore
{
    /// <summary>Most PBKDF2 iterations read (2^22, about 16 times the 262144 the definition's example uses): bounds the time an untrusted file costs.</summary>
    public const long Pbkdf2IterationsMax = 1L << 22;

    public const int SaltLength = 32;

    /// <summary>
    /// Encrypts <paramref name="privateKey32"/> under <paramref name="passphrase"/> with scrypt at <paramref name="cost"/>,
    /// a random 32-byte salt, a random 16-byte IV and a random (version 4) UUID; returns the UTF-8 JSON.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a valid secp256k1 secret or the cost breaks scrypt's bounds.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<char> passphrase, ScryptCost cost, KeyScheme scheme = KeyScheme.Secp256k1)
    {
        Span<byte> salt = stackalloc byte[SaltLength];
        Span<byte> iv = stackalloc byte[AesCtr.BlockLength];
        RandomNumberGenerator.Fill(salt);
        RandomNumberGenerator.Fill(iv);
        return Encrypt(privateKey32, passphrase, cost, salt, iv, Guid.NewGuid(), scheme).ToUtf8Json();
    }

    /// <summary>As <see cref="Encrypt(ReadOnlySpan{byte}, ReadOnlySpan{char}, ScryptCost, KeyScheme)"/> with a given salt, IV and id (for reproducible tests).</summary>
    public static KeystoreJson Encrypt(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<char> passphrase, ScryptCost cost, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> iv, Guid id, KeyScheme scheme = KeyScheme.Secp256k1)
    {
        if (privateKey32.Length != KeystoreJson.SecretKeyLength) throw new ArgumentException($"a secret key has 32 bytes, got {privateKey32.Length}", nameof(privateKey32));
        if (!TryGetAddress(scheme, privateKey32, out Address keyAddress)) throw new ArgumentException("the secret key is 0 or not below the curve order n", nameof(privateKey32));
        if (salt.IsEmpty || salt.Length > KeystoreJson.SaltLengthMax) throw new ArgumentException($"the salt must have 1 to {KeystoreJson.SaltLengthMax} bytes", nameof(salt));
        if (iv.Length != KeystoreJson.IvLength) throw new ArgumentException($"the IV must have {KeystoreJson.IvLength} bytes", nameof(iv));

        Span<byte> derived = stackalloc byte[KeystoreJson.DerivedKeyLength];
        byte[] password = PassphraseBytes(passphrase);
        try
        {
            Scrypt.DeriveKey(password, salt, cost.N, cost.R, cost.P, derived);
            var ciphertext = new byte[KeystoreJson.SecretKeyLength];
            AesCtr.Transform(derived[..16], iv, privateKey32, ciphertext);
            var mac = new byte[KeystoreJson.MacLength];
            ComputeMac(derived, ciphertext, mac);

            return new KeystoreJson(
                keyAddress, id.ToString("D"), KeystoreKdf.Scrypt, cost, 0,
                salt.ToArray(), iv.ToArray(), ciphertext, mac, scheme);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
            CryptographicOperations.ZeroMemory(password);
        }
    }

    /// <summary>
    /// Parses and decrypts a keystore file into <paramref name="privateKey32"/>. On failure the key buffer is left
    /// untouched and <paramref name="error"/> says what kind of failure; a wrong passphrase gives
    /// <see cref="KeystoreError.WrongPassphrase"/> with "wrong passphrase: MAC mismatch".
    /// </summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> utf8Json, ReadOnlySpan<char> passphrase, Span<byte> privateKey32, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        if (!KeystoreJson.TryParse(utf8Json, out KeystoreJson? keystore, out error, out message)) return false;
        return TryDecrypt(keystore, passphrase, privateKey32, out error, out message);
    }

    /// <summary>Decrypts a parsed keystore; see <see cref="TryDecrypt(ReadOnlySpan{byte}, ReadOnlySpan{char}, Span{byte}, out KeystoreError, out string?)"/>.</summary>
    public static bool TryDecrypt(KeystoreJson keystore, ReadOnlySpan<char> passphrase, Span<byte> privateKey32, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        ArgumentNullException.ThrowIfNull(keystore);
        if (privateKey32.Length != KeystoreJson.SecretKeyLength) throw new ArgumentException($"the key buffer must be 32 bytes, got {privateKey32.Length}", nameof(privateKey32));

        Span<byte> derived = stackalloc byte[KeystoreJson.DerivedKeyLength];
        Span<byte> secret = stackalloc byte[KeystoreJson.SecretKeyLength];
        byte[] password = PassphraseBytes(passphrase);
        try
        {
            if (keystore.Kdf == KeystoreKdf.Scrypt)
            {
                ScryptCost cost = keystore.ScryptCost;
                ScryptParameterCheck check = Scrypt.CheckParameters(cost.N, cost.R, cost.P, derived.Length, Scrypt.MemoryBytesMaxDefault, out string? invalid);
                if (check != ScryptParameterCheck.Valid)
                {
                    error = check == ScryptParameterCheck.TooExpensive ? KeystoreError.TooExpensive : KeystoreError.Malformed;
                    message = $"crypto.kdfparams: {invalid}";
                    return false;
                }
                Scrypt.DeriveKey(password, keystore.Salt, cost.N, cost.R, cost.P, derived);
            }
            else
            {
                if (keystore.Pbkdf2Iterations > Pbkdf2IterationsMax)
                {
                    error = KeystoreError.TooExpensive;
                    message = $"crypto.kdfparams.c is {keystore.Pbkdf2Iterations}; at most {Pbkdf2IterationsMax} PBKDF2 iterations are accepted";
                    return false;
                }
                Rfc2898DeriveBytes.Pbkdf2(password, keystore.Salt, derived, (int)keystore.Pbkdf2Iterations, HashAlgorithmName.SHA256);
            }

            Span<byte> mac = stackalloc byte[KeystoreJson.MacLength];
            ComputeMac(derived, keystore.Ciphertext, mac);
            if (!CryptographicOperations.FixedTimeEquals(mac, keystore.Mac))
            {
                error = KeystoreError.WrongPassphrase;
                message = "wrong passphrase: MAC mismatch";
                return false;
            }

            // A short ciphertext decrypts to the key without its leading zero bytes (see KeystoreJson).
            secret.Clear();
            AesCtr.Transform(derived[..16], keystore.Iv, keystore.Ciphertext, secret[(secret.Length - keystore.Ciphertext.Length)..]);
            if (!TryGetAddress(keystore.Scheme, secret, out Address actual))
            {
                error = KeystoreError.InvalidKey;
                message = "the decrypted secret key is 0 or not below the curve order n";
                return false;
            }
            if (keystore.Address is { } expected && expected != actual)
            {
                error = KeystoreError.AddressMismatch;
                message = $"the address field 0x{Convert.ToHexStringLower(expected.Bytes)} does not match the key's address 0x{Convert.ToHexStringLower(actual.Bytes)}";
                return false;
            }
            secret.CopyTo(privateKey32);
            error = KeystoreError.None;
            message = null;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(password);
        }
    }

    /// <summary>
    /// The account of a 32-byte secret under <paramref name="scheme"/>: for secp256k1 false when the secret is not a
    /// valid key; every 32 bytes are a valid ML-DSA seed (the key pair is generated from it, FIPS 204 algorithm 6).
    /// </summary>
    public static bool TryGetAddress(KeyScheme scheme, ReadOnlySpan<byte> secret32, out Address address)
    {
        if (scheme == KeyScheme.MlDsa65)
        {
            address = MlDsaAddress.FromSeed(secret32);
            return true;
        }
        Span<byte> secpPublicKey = stackalloc byte[Secp256k1.PublicKeyLength];
        if (!Secp256k1.TryGetPublicKey(secret32, secpPublicKey))
        {
            address = default;
            return false;
        }
        address = Address.FromPublicKey(secpPublicKey);
        return true;
    }

    /// <summary>Keccak-256(derivedKey[16..32] || ciphertext), the definition's MAC.</summary>
    private static void ComputeMac(ReadOnlySpan<byte> derived, ReadOnlySpan<byte> ciphertext, Span<byte> mac)
    {
        Span<byte> input = stackalloc byte[16 + KeystoreJson.SecretKeyLength];
        input = input[..(16 + ciphertext.Length)];
        derived[16..32].CopyTo(input);
        ciphertext.CopyTo(input[16..]);
        Keccak256.Hash(input, mac);
        CryptographicOperations.ZeroMemory(input);
    }

    private static byte[] PassphraseBytes(ReadOnlySpan<char> passphrase)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(passphrase)];
        Encoding.UTF8.GetBytes(passphrase, bytes);
        return bytes;
    }
}
