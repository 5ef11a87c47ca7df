namespace NexusFast.Engine.Crypto.Keys;

/// <summary>Why a keystore could not be read or decrypted; the accompanying message names the field or cause.</summary>
public enum KeystoreError
{
    None = 0,

    /// <summary>Not JSON, or a field is missing, duplicated, of the wrong type or of the wrong length.</summary>
    Malformed,

    /// <summary>Well formed, but a version, cipher, KDF or PRF this implementation does not read.</summary>
    Unsupported,

    /// <summary>KDF parameters above the memory or work bounds (see <see cref="Scrypt"/>, <see cref="Keystore.Pbkdf2IterationsMax"/>).</summary>
    TooExpensive,

    /// <summary>The MAC does not match: the passphrase is wrong (or the file was altered).</summary>
    WrongPassphrase,

    /// <summary>The MAC matched but the decrypted bytes are not a valid secp256k1 secret key.</summary>
    InvalidKey,

    /// <summary>The decrypted key's address differs from the file's "address" field.</summary>
    AddressMismatch,
}
