using System.Security.Cryptography;
using System.Text;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Network;

/// <summary>
/// The node key on disk: one line of 64 hex digits (the secret), readable only by its owner. A node creates it on
/// first start and keeps its identity across restarts, which static peer lists of other nodes depend on.
/// </summary>
public static class NodeKeyFile
{
    /// <summary>Loads the key, or creates the file with a fresh key when it does not exist.</summary>
    public static NodeKey LoadOrCreate(string path) => File.Exists(path) ? Load(path) : Create(path);

    /// <exception cref="FormatException">The file is not one 32-byte secret in hex; the message names the file.</exception>
    public static NodeKey Load(string path)
    {
        string text = File.ReadAllText(path).Trim();
        ReadOnlySpan<char> hex = text.AsSpan();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        Span<byte> secret = stackalloc byte[Secp256k1.SecretKeyLength];
        try
        {
            if (hex.Length != secret.Length * 2
                || Convert.FromHexString(hex, secret, out _, out int written) != System.Buffers.OperationStatus.Done
                || written != secret.Length)
            {
                throw new FormatException($"node key file {path} must hold {secret.Length * 2} hex digits (a secp256k1 secret key)");
            }
            if (!Secp256k1.IsValidSecretKey(secret))
                throw new FormatException($"node key file {path} holds 0 or a number >= the curve order, not a valid secret key");
            return NodeKey.FromSecret(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Writes a fresh key to a new file (owner read/write only on Unix) and returns it.</summary>
    /// <exception cref="IOException">The file exists already: an existing identity is never overwritten.</exception>
    public static NodeKey Create(string path)
    {
        Span<byte> secret = stackalloc byte[Secp256k1.SecretKeyLength];
        try
        {
            do RandomNumberGenerator.Fill(secret);
            while (!Secp256k1.IsValidSecretKey(secret));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(path, options))
            {
                file.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret) + "\n"));
                file.Flush(flushToDisk: true);
            }
            return NodeKey.FromSecret(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
