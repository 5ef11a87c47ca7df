using System.Buffers.Binary;
using System.Security.Cryptography;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// A BIP-32 extended private key: a secp256k1 secret key, a 32-byte chain code, and where it sits in the tree
/// (depth, parent fingerprint, child number). Derives private children (CKDpriv), hardened or normal, and
/// serializes as a mainnet "xprv"/"xpub" string. Dispose wipes the secret and the chain code.
/// </summary>
public sealed class ExtendedKey : IDisposable
{
    public const int SeedLengthMin = 16;
    public const int SeedLengthMax = 64;
    public const int ChainCodeLength = 32;

    /// <summary>Bytes of the serialized key before Base58Check: version 4, depth 1, fingerprint 4, child 4, chain code 32, key 33.</summary>
    public const int SerializedLength = 78;

    // BIP-32 "Serialization format": mainnet version bytes, giving the "xprv" and "xpub" prefixes in Base58.
    private const uint VersionPrivate = 0x0488ADE4;
    private const uint VersionPublic = 0x0488B21E;

    private static ReadOnlySpan<byte> MasterHmacKey => "Bitcoin seed"u8;

    private readonly byte[] _privateKey;
    private readonly byte[] _chainCode;
    private byte[]? _compressedPublicKey;
    private bool _disposed;

    private ExtendedKey(byte[] privateKey, byte[] chainCode, byte depth, uint parentFingerprint, uint childNumber)
    {
        _privateKey = privateKey;
        _chainCode = chainCode;
        Depth = depth;
        ParentFingerprint = parentFingerprint;
        ChildNumber = childNumber;
    }

    /// <summary>0 for the master key, one more per derivation.</summary>
    public byte Depth { get; }

    /// <summary>First 4 bytes (big-endian) of the parent's HASH160; 0 for the master key.</summary>
    public uint ParentFingerprint { get; }

    /// <summary>The index this key was derived with (bit 31 set when hardened); 0 for the master key.</summary>
    public uint ChildNumber { get; }

    public ReadOnlySpan<byte> PrivateKey => Live()._privateKey;

    public ReadOnlySpan<byte> ChainCode => Live()._chainCode;

    /// <summary>The Ethereum address of this key (Keccak-256 of the uncompressed public key, last 20 bytes).</summary>
    public Address Address
    {
        get
        {
            Span<byte> publicKey = stackalloc byte[Secp256k1.PublicKeyLength];
            bool valid = Secp256k1.TryGetPublicKey(PrivateKey, publicKey);
            Diagnostics.Invariant.Check(valid);
            return Address.FromPublicKey(publicKey);
        }
    }

    /// <summary>First 4 bytes (big-endian) of HASH160(compressed public key): the ParentFingerprint of this key's children.</summary>
    public uint Fingerprint
    {
        get
        {
            Span<byte> sha = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(CompressedPublicKey(), sha);
            Span<byte> hash160 = stackalloc byte[Ripemd160.HashLength];
            Ripemd160.Hash(sha, hash160);
            return BinaryPrimitives.ReadUInt32BigEndian(hash160);
        }
    }

    /// <summary>The master key: I = HMAC-SHA512(key = "Bitcoin seed", seed), secret = I[0..32], chain code = I[32..64].</summary>
    /// <exception cref="ArgumentException">The seed is shorter than 16 or longer than 64 bytes.</exception>
    public static bool TryFromSeed(ReadOnlySpan<byte> seed, [NotNullWhen(true)] out ExtendedKey? key, [NotNullWhen(false)] out string? error)
    {
        if (seed.Length < SeedLengthMin || seed.Length > SeedLengthMax)
        {
            throw new ArgumentException($"a BIP-32 seed has 16 to 64 bytes (128 to 512 bits), got {seed.Length}", nameof(seed));
        }
        Span<byte> i = stackalloc byte[HMACSHA512.HashSizeInBytes];
        HMACSHA512.HashData(MasterHmacKey, seed, i);
        key = null;
        // BIP-32 "Master key generation": an IL of 0 or >= n makes the master key invalid (probability < 2^-127).
        if (!Secp256k1.IsValidSecretKey(i[..32]))
        {
            CryptographicOperations.ZeroMemory(i);
            error = "the seed gives an invalid master key (IL is 0 or not below the curve order n); BIP-32 says to use another seed";
            return false;
        }
        key = new ExtendedKey(i[..32].ToArray(), i[32..].ToArray(), 0, 0, 0);
        CryptographicOperations.ZeroMemory(i);
        error = null;
        return true;
    }

    /// <summary>As <see cref="TryFromSeed"/>, throwing <see cref="CryptographicException"/> for the (practically impossible) invalid master key.</summary>
    public static ExtendedKey FromSeed(ReadOnlySpan<byte> seed) =>
        TryFromSeed(seed, out ExtendedKey? key, out string? error) ? key : throw new CryptographicException(error);

    /// <summary>The master key of a mnemonic's BIP-39 seed.</summary>
    /// <exception cref="ArgumentException">The passphrase is non-ASCII or too long (see <see cref="Bip39"/>).</exception>
    public static ExtendedKey FromMnemonic(Mnemonic mnemonic, string passphrase = "")
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        byte[] seed = mnemonic.DeriveSeed(passphrase);
        try
        {
            return FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// CKDpriv: I = HMAC-SHA512(chain code, 0x00 || secret || ser32(i)) for a hardened index (bit 31 set), else
    /// HMAC-SHA512(chain code, compressed public key || ser32(i)); child secret = IL + secret mod n, chain code = IR.
    /// False when IL >= n or the child secret is 0 (probability &lt; 2^-127): BIP-32 says to go on with the next index,
    /// a choice this method leaves to the caller.
    /// </summary>
    public bool TryDeriveChild(uint index, [NotNullWhen(true)] out ExtendedKey? child, [NotNullWhen(false)] out string? error)
    {
        child = null;
        if (Depth == KeyPath.DepthMax)
        {
            error = $"a BIP-32 key at depth {KeyPath.DepthMax} has no children (the depth is serialized in one byte)";
            return false;
        }
        Span<byte> data = stackalloc byte[Secp256k1.CompressedPublicKeyLength + 4];
        if (index >= KeyPath.HardenedOffset)
        {
            data[0] = 0;
            PrivateKey.CopyTo(data[1..]);
        }
        else
        {
            CompressedPublicKey().CopyTo(data);
        }
        BinaryPrimitives.WriteUInt32BigEndian(data[Secp256k1.CompressedPublicKeyLength..], index);

        Span<byte> i = stackalloc byte[HMACSHA512.HashSizeInBytes];
        HMACSHA512.HashData(ChainCode, data, i);
        CryptographicOperations.ZeroMemory(data);

        var secret = PrivateKey.ToArray();
        // libsecp256k1's tweak-add fails exactly when IL >= n or IL + k_par = 0 mod n, the two cases BIP-32 rules out.
        if (!Secp256k1.TryTweakAddSecret(secret, i[..32]))
        {
            CryptographicOperations.ZeroMemory(i);
            CryptographicOperations.ZeroMemory(secret);
            error = $"child {FormatIndex(index)} is invalid (IL is not below the curve order n, or the child key is 0); " +
                "BIP-32 says to use the next index";
            return false;
        }
        child = new ExtendedKey(secret, i[32..].ToArray(), (byte)(Depth + 1), Fingerprint, index);
        CryptographicOperations.ZeroMemory(i);
        error = null;
        return true;
    }

    /// <summary>As <see cref="TryDeriveChild"/>, throwing <see cref="CryptographicException"/> for an invalid child.</summary>
    public ExtendedKey DeriveChild(uint index) =>
        TryDeriveChild(index, out ExtendedKey? child, out string? error) ? child : throw new CryptographicException(error);

    /// <summary>
    /// Derives every level of <paramref name="path"/> from this key, which must be the master key (a path starts at m).
    /// False with an error naming the level when a child is invalid (see <see cref="TryDeriveChild"/>).
    /// </summary>
    public bool TryDerive(KeyPath path, [NotNullWhen(true)] out ExtendedKey? key, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        key = null;
        if (Depth != 0)
        {
            error = $"path {path} starts at the master key m, but this key has depth {Depth}";
            return false;
        }
        ExtendedKey current = this;
        ReadOnlySpan<uint> indexes = path.Indexes;
        for (int level = 0; level < indexes.Length; level++)
        {
            bool ok = current.TryDeriveChild(indexes[level], out ExtendedKey? next, out error);
            if (!ReferenceEquals(current, this)) current.Dispose();
            if (!ok)
            {
                error = $"path {path}, level {level + 1}: {error}";
                return false;
            }
            current = next!;
        }
        key = ReferenceEquals(current, this) ? Copy() : current;
        error = null;
        return true;
    }

    /// <summary>As <see cref="TryDerive"/>, throwing <see cref="CryptographicException"/> on failure.</summary>
    public ExtendedKey Derive(KeyPath path) =>
        TryDerive(path, out ExtendedKey? key, out string? error) ? key : throw new CryptographicException(error);

    /// <summary>The 33-byte SEC 1 compressed public key, (0x02 | parity of Y) || X.</summary>
    public void WriteCompressedPublicKey(Span<byte> publicKey33) => CompressedPublicKey().CopyTo(publicKey33);

    /// <summary>The BIP-32 serialization of the private key: Base58Check("xprv..."), 111 characters.</summary>
    public string ToXprv()
    {
        Span<byte> data = stackalloc byte[SerializedLength];
        WriteHeader(data, VersionPrivate);
        data[45] = 0;
        PrivateKey.CopyTo(data[46..]);
        string text = Base58Check.Encode(data);
        CryptographicOperations.ZeroMemory(data);
        return text;
    }

    /// <summary>The BIP-32 serialization of the matching extended public key: Base58Check("xpub...").</summary>
    public string ToXpub()
    {
        Span<byte> data = stackalloc byte[SerializedLength];
        WriteHeader(data, VersionPublic);
        CompressedPublicKey().CopyTo(data[45..]);
        return Base58Check.Encode(data);
    }

    /// <summary>
    /// Parses a mainnet "xprv" string. False with a precise error for bad Base58Check, an xpub or other version, a
    /// key not prefixed by 0x00, a secret outside [1, n-1], or a master key (depth 0) with a parent fingerprint or
    /// child number (BIP-32 test vector 5 lists these cases).
    /// </summary>
    public static bool TryParseXprv(ReadOnlySpan<char> text, [NotNullWhen(true)] out ExtendedKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        Span<byte> data = stackalloc byte[SerializedLength];
        try
        {
            if (!Base58Check.TryDecode(text, data, out error))
            {
                error = $"not an extended private key: {error}";
                return false;
            }
            uint version = BinaryPrimitives.ReadUInt32BigEndian(data);
            if (version != VersionPrivate)
            {
                error = version == VersionPublic
                    ? "this is an extended public key (xpub); an extended private key (xprv) is needed"
                    : $"unknown extended key version 0x{version:x8}; want 0x{VersionPrivate:x8} (mainnet xprv)";
                return false;
            }
            byte depth = data[4];
            uint parentFingerprint = BinaryPrimitives.ReadUInt32BigEndian(data[5..]);
            uint childNumber = BinaryPrimitives.ReadUInt32BigEndian(data[9..]);
            if (depth == 0 && (parentFingerprint != 0 || childNumber != 0))
            {
                error = "a master key (depth 0) must have parent fingerprint 0 and child number 0";
                return false;
            }
            if (data[45] != 0)
            {
                error = $"the private key field must start with 0x00, got 0x{data[45]:x2}";
                return false;
            }
            if (!Secp256k1.IsValidSecretKey(data[46..]))
            {
                error = "the private key is 0 or not below the curve order n";
                return false;
            }
            key = new ExtendedKey(data[46..].ToArray(), data[13..45].ToArray(), depth, parentFingerprint, childNumber);
            error = null;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_privateKey);
        CryptographicOperations.ZeroMemory(_chainCode);
        _disposed = true;
    }

    private ExtendedKey Copy() => new(PrivateKey.ToArray(), ChainCode.ToArray(), Depth, ParentFingerprint, ChildNumber);

    private void WriteHeader(Span<byte> data, uint version)
    {
        BinaryPrimitives.WriteUInt32BigEndian(data, version);
        data[4] = Depth;
        BinaryPrimitives.WriteUInt32BigEndian(data[5..], ParentFingerprint);
        BinaryPrimitives.WriteUInt32BigEndian(data[9..], ChildNumber);
        ChainCode.CopyTo(data[13..]);
    }

    private ReadOnlySpan<byte> CompressedPublicKey()
    {
        Live();
        if (_compressedPublicKey is null)
        {
            var publicKey = new byte[Secp256k1.CompressedPublicKeyLength];
            bool valid = Secp256k1.TryGetCompressedPublicKey(_privateKey, publicKey);
            // Every constructor path checked the secret (master: IsValidSecretKey; child: tweak-add; parse: IsValidSecretKey).
            Diagnostics.Invariant.Check(valid);
            _compressedPublicKey = publicKey;
        }
        return _compressedPublicKey;
    }

    private ExtendedKey Live()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return this;
    }

    private static string FormatIndex(uint index) =>
        index >= KeyPath.HardenedOffset ? $"{index & ~KeyPath.HardenedOffset}'" : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
