using System.Buffers;
using System.Text.Json;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>The key-derivation function a keystore names in crypto.kdf.</summary>
public enum KeystoreKdf
{
    Scrypt,
    Pbkdf2,
}

/// <summary>
/// The fields of an Ethereum keystore file (Web3 Secret Storage Definition, version 3) without any secret: what can be
/// read before asking for the passphrase (address, id, KDF and its cost). Read with <see cref="Utf8JsonReader"/> and
/// written with <see cref="Utf8JsonWriter"/>: no reflection, so it works under Native AOT.
/// </summary>
/// <remarks>
/// Reading follows geth and ethers where the definition is loose: property names match case-insensitively (ethers
/// writes "Crypto", geth "crypto"), hex may carry a 0x prefix and either case, the address field is optional, and
/// unknown properties ("x-ethers", "name", ...) are skipped. A duplicated known property is refused, since two readers
/// could otherwise take different values from one file.
/// </remarks>
public sealed class KeystoreJson
{
    public const int Version = 3;

    public const int SecretKeyLength = 32;
    public const int IvLength = 16;
    public const int MacLength = 32;

    /// <summary>The only derived-key length read or written: AES-128 key (16 bytes) then MAC key (16 bytes).</summary>
    public const int DerivedKeyLength = 32;

    /// <summary>Largest keystore file read; real ones are about 500 bytes.</summary>
    public const int FileLengthMax = 64 * 1024;

    /// <summary>Longest salt read, in bytes (geth and ethers write 32).</summary>
    public const int SaltLengthMax = 1024;

    public const string CipherName = "aes-128-ctr";
    public const string Pbkdf2Prf = "hmac-sha256";

    internal KeystoreJson(
        Address? address, string? id, KeystoreKdf kdf, ScryptCost scryptCost, long pbkdf2Iterations,
        byte[] salt, byte[] iv, byte[] ciphertext, byte[] mac, KeyScheme scheme = KeyScheme.Secp256k1)
    {
        Scheme = scheme;
        Address = address;
        Id = id;
        Kdf = kdf;
        ScryptCost = scryptCost;
        Pbkdf2Iterations = pbkdf2Iterations;
        Salt = salt;
        Iv = iv;
        Ciphertext = ciphertext;
        Mac = mac;
    }

    /// <summary>
    /// The "scheme" field (a NexusFast extension): absent means secp256k1, and is how those files are written so that
    /// geth and ethers read them unchanged; "ml-dsa-65" marks a file whose secret is an ML-DSA-65 seed (see <see cref="KeyScheme"/>).
    /// </summary>
    public KeyScheme Scheme { get; }

    /// <summary>The "address" field, when present.</summary>
    public Address? Address { get; }

    /// <summary>The "id" field (a UUID by the definition; not checked), when present.</summary>
    public string? Id { get; }

    public KeystoreKdf Kdf { get; }

    /// <summary>N, r, p when <see cref="Kdf"/> is scrypt.</summary>
    public ScryptCost ScryptCost { get; }

    /// <summary>The iteration count c when <see cref="Kdf"/> is PBKDF2.</summary>
    public long Pbkdf2Iterations { get; }

    internal byte[] Salt { get; }

    internal byte[] Iv { get; }

    internal byte[] Ciphertext { get; }

    internal byte[] Mac { get; }

    /// <summary>
    /// Parses a version 3 keystore. False with <see cref="KeystoreError.Malformed"/> or <see cref="KeystoreError.Unsupported"/>
    /// and a message naming the field (as a path such as crypto.kdfparams.n) and what is wrong with it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out KeystoreJson? keystore, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        keystore = null;
        if (utf8Json.Length > FileLengthMax)
        {
            return Fail(KeystoreError.Malformed, $"keystore is {utf8Json.Length} bytes; at most {FileLengthMax} are read", out error, out message);
        }
        var fields = new Fields();
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Fail(KeystoreError.Malformed, "keystore must be a JSON object", out error, out message);
            }
            if (!ReadTop(ref reader, ref fields, out error, out message)) return false;
            if (reader.Read()) return Fail(KeystoreError.Malformed, "keystore has content after the JSON object", out error, out message);
        }
        catch (JsonException e)
        {
            return Fail(KeystoreError.Malformed, $"keystore is not valid JSON: {e.Message}", out error, out message);
        }
        return Build(ref fields, out keystore, out error, out message);
    }

    /// <summary>
    /// The file as geth writes it: {"address", "crypto": {"cipher", "ciphertext", "cipherparams": {"iv"}, "kdf",
    /// "kdfparams", "mac"}, "id", "version": 3}, hex in lowercase without 0x.
    /// </summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(600);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Address is { } address) writer.WriteString("address", Convert.ToHexStringLower(address.Bytes));
            if (Scheme != KeyScheme.Secp256k1) writer.WriteString("scheme", Scheme.Name());
            writer.WriteStartObject("crypto");
            writer.WriteString("cipher", CipherName);
            writer.WriteString("ciphertext", Convert.ToHexStringLower(Ciphertext));
            writer.WriteStartObject("cipherparams");
            writer.WriteString("iv", Convert.ToHexStringLower(Iv));
            writer.WriteEndObject();
            if (Kdf == KeystoreKdf.Scrypt)
            {
                writer.WriteString("kdf", "scrypt");
                writer.WriteStartObject("kdfparams");
                writer.WriteNumber("dklen", DerivedKeyLength);
                writer.WriteNumber("n", ScryptCost.N);
                writer.WriteNumber("p", ScryptCost.P);
                writer.WriteNumber("r", ScryptCost.R);
            }
            else
            {
                writer.WriteString("kdf", "pbkdf2");
                writer.WriteStartObject("kdfparams");
                writer.WriteNumber("c", Pbkdf2Iterations);
                writer.WriteNumber("dklen", DerivedKeyLength);
                writer.WriteString("prf", Pbkdf2Prf);
            }
            writer.WriteString("salt", Convert.ToHexStringLower(Salt));
            writer.WriteEndObject();
            writer.WriteString("mac", Convert.ToHexStringLower(Mac));
            writer.WriteEndObject();
            if (Id is not null) writer.WriteString("id", Id);
            writer.WriteNumber("version", Version);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /// <summary>Raw values as found; <see cref="Build"/> checks presence and meaning once the whole file is read.</summary>
    private struct Fields
    {
        public byte[]? Address;
        public string? Scheme;
        public string? Id;
        public long? Version;
        public bool Crypto;
        public string? Cipher;
        public byte[]? Ciphertext;
        public byte[]? Iv;
        public string? Kdf;
        public bool KdfParams;
        public long? DkLen, N, R, P, C;
        public string? Prf;
        public byte[]? Salt;
        public byte[]? Mac;
    }

    private static bool ReadTop(ref Utf8JsonReader reader, ref Fields fields, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        while (NextProperty(ref reader, out string? name))
        {
            bool ok = name.ToLowerInvariant() switch
            {
                "address" => ReadHex(ref reader, "address", ref fields.Address, Primitives.Address.Size, Primitives.Address.Size, out error, out message),
                "id" => ReadString(ref reader, "id", ref fields.Id, out error, out message),
                "scheme" => ReadString(ref reader, "scheme", ref fields.Scheme, out error, out message),
                "version" => ReadInteger(ref reader, "version", ref fields.Version, out error, out message),
                "crypto" => ReadObject(ref reader, "crypto", ref fields.Crypto, out error, out message)
                    && ReadCrypto(ref reader, ref fields, out error, out message),
                _ => SkipValue(ref reader, out error, out message),
            };
            if (!ok) return FailedWith(message);
        }
        error = KeystoreError.None;
        message = null;
        return true;
    }

    private static bool ReadCrypto(ref Utf8JsonReader reader, ref Fields fields, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        bool cipherParams = false;
        while (NextProperty(ref reader, out string? name))
        {
            bool ok = name.ToLowerInvariant() switch
            {
                "cipher" => ReadString(ref reader, "crypto.cipher", ref fields.Cipher, out error, out message),
                // 1 to 32 bytes: geth reads a short ciphertext as a key whose leading zero bytes were dropped (early
                // versions wrote such files; its 30_byte_key and 31_byte_key test vectors), so shorter is allowed.
                "ciphertext" => ReadHex(ref reader, "crypto.ciphertext", ref fields.Ciphertext, 1, SecretKeyLength, out error, out message),
                "cipherparams" => ReadObject(ref reader, "crypto.cipherparams", ref cipherParams, out error, out message)
                    && ReadCipherParams(ref reader, ref fields, out error, out message),
                "kdf" => ReadString(ref reader, "crypto.kdf", ref fields.Kdf, out error, out message),
                "kdfparams" => ReadObject(ref reader, "crypto.kdfparams", ref fields.KdfParams, out error, out message)
                    && ReadKdfParams(ref reader, ref fields, out error, out message),
                "mac" => ReadHex(ref reader, "crypto.mac", ref fields.Mac, MacLength, MacLength, out error, out message),
                _ => SkipValue(ref reader, out error, out message),
            };
            if (!ok) return FailedWith(message);
        }
        error = KeystoreError.None;
        message = null;
        return true;
    }

    private static bool ReadCipherParams(ref Utf8JsonReader reader, ref Fields fields, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        while (NextProperty(ref reader, out string? name))
        {
            bool ok = name.Equals("iv", StringComparison.OrdinalIgnoreCase)
                ? ReadHex(ref reader, "crypto.cipherparams.iv", ref fields.Iv, IvLength, IvLength, out error, out message)
                : SkipValue(ref reader, out error, out message);
            if (!ok) return FailedWith(message);
        }
        error = KeystoreError.None;
        message = null;
        return true;
    }

    private static bool ReadKdfParams(ref Utf8JsonReader reader, ref Fields fields, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        while (NextProperty(ref reader, out string? name))
        {
            bool ok = name.ToLowerInvariant() switch
            {
                "dklen" => ReadInteger(ref reader, "crypto.kdfparams.dklen", ref fields.DkLen, out error, out message),
                "n" => ReadInteger(ref reader, "crypto.kdfparams.n", ref fields.N, out error, out message),
                "r" => ReadInteger(ref reader, "crypto.kdfparams.r", ref fields.R, out error, out message),
                "p" => ReadInteger(ref reader, "crypto.kdfparams.p", ref fields.P, out error, out message),
                "c" => ReadInteger(ref reader, "crypto.kdfparams.c", ref fields.C, out error, out message),
                "prf" => ReadString(ref reader, "crypto.kdfparams.prf", ref fields.Prf, out error, out message),
                "salt" => ReadHex(ref reader, "crypto.kdfparams.salt", ref fields.Salt, 1, SaltLengthMax, out error, out message),
                _ => SkipValue(ref reader, out error, out message),
            };
            if (!ok) return FailedWith(message);
        }
        error = KeystoreError.None;
        message = null;
        return true;
    }

    private static bool Build(ref Fields fields, [NotNullWhen(true)] out KeystoreJson? keystore, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        keystore = null;
        if (fields.Version is not { } version) return Missing("version", out error, out message);
        if (version != Version)
        {
            return Fail(KeystoreError.Unsupported, $"keystore version {version} is not supported; only version {Version} (Web3 Secret Storage)", out error, out message);
        }
        if (!fields.Crypto) return Missing("crypto", out error, out message);
        if (fields.Cipher is not { } cipher) return Missing("crypto.cipher", out error, out message);
        if (cipher != CipherName)
        {
            return Fail(KeystoreError.Unsupported, $"crypto.cipher '{cipher}' is not supported; only '{CipherName}'", out error, out message);
        }
        if (fields.Ciphertext is not { } ciphertext) return Missing("crypto.ciphertext", out error, out message);
        if (fields.Iv is not { } iv) return Missing("crypto.cipherparams.iv", out error, out message);
        if (fields.Mac is not { } mac) return Missing("crypto.mac", out error, out message);
        if (fields.Kdf is not { } kdfName) return Missing("crypto.kdf", out error, out message);
        if (!fields.KdfParams) return Missing("crypto.kdfparams", out error, out message);
        if (fields.Salt is not { } salt) return Missing("crypto.kdfparams.salt", out error, out message);
        if (fields.DkLen is not { } dkLen) return Missing("crypto.kdfparams.dklen", out error, out message);
        if (dkLen != DerivedKeyLength)
        {
            return Fail(KeystoreError.Unsupported, $"crypto.kdfparams.dklen is {dkLen}; only {DerivedKeyLength} is supported", out error, out message);
        }

        KeystoreKdf kdf;
        ScryptCost cost = default;
        long iterations = 0;
        if (kdfName == "scrypt")
        {
            kdf = KeystoreKdf.Scrypt;
            if (fields.N is not { } n) return Missing("crypto.kdfparams.n", out error, out message);
            if (fields.R is not { } r) return Missing("crypto.kdfparams.r", out error, out message);
            if (fields.P is not { } p) return Missing("crypto.kdfparams.p", out error, out message);
            cost = new ScryptCost(n, r, p);
        }
        else if (kdfName == "pbkdf2")
        {
            kdf = KeystoreKdf.Pbkdf2;
            if (fields.C is not { } c) return Missing("crypto.kdfparams.c", out error, out message);
            if (fields.Prf is not { } prf) return Missing("crypto.kdfparams.prf", out error, out message);
            if (prf != Pbkdf2Prf)
            {
                return Fail(KeystoreError.Unsupported, $"crypto.kdfparams.prf '{prf}' is not supported; only '{Pbkdf2Prf}'", out error, out message);
            }
            if (c < 1) return Fail(KeystoreError.Malformed, $"crypto.kdfparams.c must be at least 1, got {c}", out error, out message);
            iterations = c;
        }
        else
        {
            return Fail(KeystoreError.Unsupported, $"crypto.kdf '{kdfName}' is not supported; only 'scrypt' and 'pbkdf2'", out error, out message);
        }

        KeyScheme scheme = KeyScheme.Secp256k1;
        if (fields.Scheme is { } schemeName && !KeySchemeNames.TryParse(schemeName, out scheme))
        {
            return Fail(KeystoreError.Unsupported, $"scheme '{schemeName}' is not supported; only '{KeySchemeNames.Secp256k1}' and '{KeySchemeNames.MlDsa65}'", out error, out message);
        }
        Address? address = fields.Address is { } bytes ? new Address(bytes) : null;
        keystore = new KeystoreJson(address, fields.Id, kdf, cost, iterations, salt, iv, ciphertext, mac, scheme);
        error = KeystoreError.None;
        message = null;
        return true;
    }

    /// <summary>Advances to the next property of the current object and positions the reader on its value.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, [NotNullWhen(true)] out string? name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = null;
            return false;
        }
        name = reader.GetString()!;
        reader.Read();
        return true;
    }

    private static bool ReadObject(ref Utf8JsonReader reader, string path, ref bool seen, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        if (seen) return Duplicate(path, out error, out message);
        if (reader.TokenType != JsonTokenType.StartObject) return WrongType(path, "an object", reader.TokenType, out error, out message);
        seen = true;
        error = KeystoreError.None;
        message = null;
        return true;
    }

    private static bool ReadString(ref Utf8JsonReader reader, string path, ref string? value, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        if (value is not null) return Duplicate(path, out error, out message);
        if (reader.TokenType != JsonTokenType.String) return WrongType(path, "a string", reader.TokenType, out error, out message);
        value = reader.GetString()!;
        error = KeystoreError.None;
        message = null;
        return true;
    }

    private static bool ReadInteger(ref Utf8JsonReader reader, string path, ref long? value, out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        if (value is not null) return Duplicate(path, out error, out message);
        if (reader.TokenType != JsonTokenType.Number) return WrongType(path, "an integer", reader.TokenType, out error, out message);
        if (!reader.TryGetInt64(out long number))
        {
            string text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            return Fail(KeystoreError.Malformed, $"{path} must be an integer that fits in 64 bits, got {text}", out error, out message);
        }
        value = number;
        error = KeystoreError.None;
        message = null;
        return true;
    }

    private static bool ReadHex(
        ref Utf8JsonReader reader, string path, ref byte[]? value, int lengthMin, int lengthMax,
        out KeystoreError error, [NotNullWhen(false)] out string? message)
    {
        if (value is not null) return Duplicate(path, out error, out message);
        if (reader.TokenType != JsonTokenType.String) return WrongType(path, "a hex string", reader.TokenType, out error, out message);
        string text = reader.GetString()!;
        ReadOnlySpan<char> digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text;
        if (digits.Length % 2 != 0) return Fail(KeystoreError.Malformed, $"{path} has an odd number of hex digits ({digits.Length})", out error, out message);
        int length = digits.Length / 2;
        if (length < lengthMin || length > lengthMax)
        {
            string want = lengthMin == lengthMax ? $"{lengthMin}" : $"{lengthMin} to {lengthMax}";
            return Fail(KeystoreError.Malformed, $"{path} has {length} bytes; want {want}", out error, out message);
        }
        var bytes = new byte[length];
        if (Convert.FromHexString(digits, bytes, out _, out _) != OperationStatus.Done)
        {
            int bad = digits.IndexOfAnyExcept(s_hexDigits);
            return Fail(KeystoreError.Malformed, $"{path} has a character that is not a hex digit ('{digits[bad]}' at position {bad + 1})", out error, out message);
        }
        value = bytes;
        error = KeystoreError.None;
        message = null;
        return true;
    }

    /// <summary>Every reader above sets the message when it returns false; switch arms cannot carry that to the compiler.</summary>
    private static bool FailedWith([NotNull] string? message)
    {
        Diagnostics.Invariant.Check(message is not null);
        return false;
    }

    private static bool SkipValue(ref Utf8JsonReader reader, out KeystoreError error, out string? message)
    {
        reader.Skip();
        error = KeystoreError.None;
        message = null;
        return true;
    }

    private static bool Missing(string path, out KeystoreError error, out string message) =>
        Fail(KeystoreError.Malformed, $"keystore has no {path} field", out error, out message);

    private static bool Duplicate(string path, out KeystoreError error, out string message) =>
        Fail(KeystoreError.Malformed, $"keystore has the field {path} twice", out error, out message);

    private static bool WrongType(string path, string want, JsonTokenType got, out KeystoreError error, out string message) =>
        Fail(KeystoreError.Malformed, $"{path} must be {want}, got {Describe(got)}", out error, out message);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static bool Fail(KeystoreError kind, string text, out KeystoreError error, out string message)
    {
        error = kind;
        message = text;
        return false;
    }

    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF");
}
