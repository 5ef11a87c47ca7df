using System.CommandLine;
using System.Globalization;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Native.Cli;

/// <summary>
/// `nexusfast keys new|list|show|import`: Ethereum keystore v3 files that ethers and geth read, and the same format
/// with "scheme": "ml-dsa-65" for ML-DSA-65 keys (the 32-byte seed encrypted; see <see cref="KeyScheme"/>).
/// </summary>
public static class KeysCommands
{
    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nexusfast", "keystore");

    public static Command Build()
    {
        var keys = new Command("keys", "Manage account keys as Ethereum keystore v3 files (scrypt + AES-128-CTR), readable by ethers and geth.");
        keys.Add(New());
        keys.Add(List());
        keys.Add(Show());
        keys.Add(Import());
        return keys;
    }

    private static Option<string> DirectoryOption() => new("--dir")
    {
        Description = $"Keystore directory (default {DefaultDirectory}).",
        DefaultValueFactory = _ => DefaultDirectory,
    };

    private static Option<string?> PassphraseFileOption() => new("--passphrase-file")
    {
        Description = "Read the passphrase from the first line of this file instead of the terminal.",
    };

    private static Option<bool> LightOption() => new("--light")
    {
        Description = "Cheaper scrypt (N=4096) for throw-away development keys; the default is geth's standard N=262144.",
    };

    private static Command New()
    {
        Option<string> dir = DirectoryOption();
        Option<string?> passphraseFile = PassphraseFileOption();
        Option<bool> light = LightOption();
        Option<string> scheme = new("--scheme")
        {
            Description = $"Signature scheme: {KeySchemeNames.Secp256k1} (Ethereum accounts, the default) or {KeySchemeNames.MlDsa65} (quantum-safe, FIPS 204; signs Nexus type 0x4e transactions).",
            DefaultValueFactory = _ => KeySchemeNames.Secp256k1,
        };
        scheme.AcceptOnlyFromAmong(KeySchemeNames.Secp256k1, KeySchemeNames.MlDsa65);
        var command = new Command("new", "Create a new random key and write it encrypted to the keystore directory.") { dir, passphraseFile, light, scheme };
        command.SetAction(result => CliRunner.Run(() =>
        {
            KeySchemeNames.TryParse(result.GetValue(scheme), out KeyScheme keyScheme);
            string passphrase = PassphraseSource.Read(result.GetValue(passphraseFile), "Passphrase for the new key: ", confirm: true);
            var secret = new byte[32];
            // Any 32 bytes are an ML-DSA seed; a secp256k1 secret must be in [1, n-1].
            do System.Security.Cryptography.RandomNumberGenerator.Fill(secret); while (keyScheme == KeyScheme.Secp256k1 && !Secp256k1.IsValidSecretKey(secret));
            string path = Write(result.GetValue(dir)!, secret, passphrase, result.GetValue(light), keyScheme);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
            Console.WriteLine($"address  {AddressOf(path)}");
            Console.WriteLine($"scheme   {keyScheme.Name()}");
            Console.WriteLine($"keystore {path}");
        }));
        return command;
    }

    private static Command List()
    {
        Option<string> dir = DirectoryOption();
        var command = new Command("list", "List the keys in the keystore directory (address, file, and the scheme of ML-DSA keys).") { dir };
        command.SetAction(result => CliRunner.Run(() =>
        {
            string directory = result.GetValue(dir)!;
            if (!Directory.Exists(directory))
            {
                Console.WriteLine($"no keystore directory at {directory} (create a key with `nexusfast keys new`)");
                return;
            }
            foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
            {
                string address = TryReadAddress(file, out string? error, out KeyScheme scheme) ?? $"(unreadable: {error})";
                // secp256k1 lines stay as they were (address, file); ML-DSA keys say so after the file.
                Console.WriteLine(scheme == KeyScheme.Secp256k1 ? $"{address}  {file}" : $"{address}  {file}  {scheme.Name()}");
            }
        }));
        return command;
    }

    private static Command Show()
    {
        Option<string> dir = DirectoryOption();
        Option<string?> passphraseFile = PassphraseFileOption();
        Option<bool> secret = new("--show-secret") { Description = "Also decrypt and print the private key (asks for the passphrase)." };
        var which = new Argument<string>("key") { Description = "An address in the keystore directory, or a keystore file path." };
        var command = new Command("show", "Show a key's address and keystore parameters; with --show-secret, decrypt it.") { which, dir, passphraseFile, secret };
        command.SetAction(result => CliRunner.Run(() =>
        {
            string path = Locate(result.GetValue(which)!, result.GetValue(dir)!);
            KeystoreJson keystore = Parse(path);
            Console.WriteLine($"address  {(keystore.Address is { } a ? a.ToChecksumHex() : "(not stated in the file)")}");
            Console.WriteLine($"scheme   {keystore.Scheme.Name()}");
            Console.WriteLine($"keystore {path}");
            Console.WriteLine($"kdf      {keystore.Kdf}{(keystore.Kdf == KeystoreKdf.Scrypt ? $" (N={keystore.ScryptCost.N}, r={keystore.ScryptCost.R}, p={keystore.ScryptCost.P})" : $" ({keystore.Pbkdf2Iterations} iterations)")}");
            if (!result.GetValue(secret)) return;
            string passphrase = PassphraseSource.Read(result.GetValue(passphraseFile), "Passphrase: ", confirm: false);
            var key = new byte[32];
            if (!Keystore.TryDecrypt(keystore, passphrase, key, out _, out string? message)) throw new CliException($"{path}: {message}");
            Console.WriteLine($"secret   {Hex.ToHexData(key)}");
        }));
        return command;
    }

    private static Command Import()
    {
        Option<string> dir = DirectoryOption();
        Option<string?> passphraseFile = PassphraseFileOption();
        Option<bool> light = LightOption();
        var keyFile = new Argument<string>("key-file") { Description = "A file holding the private key as 64 hex digits (0x optional), or a keystore v3 file to copy." };
        var command = new Command("import", "Import a raw private key (from a file, never a flag) or a keystore file into the keystore directory.") { keyFile, dir, passphraseFile, light };
        command.SetAction(result => CliRunner.Run(() =>
        {
            string source = result.GetValue(keyFile)!;
            string directory = result.GetValue(dir)!;
            string text = File.Exists(source) ? File.ReadAllText(source).Trim() : throw new CliException($"{source}: no such file");
            string path;
            if (text.StartsWith('{'))
            {
                KeystoreJson keystore = Parse(source);
                Directory.CreateDirectory(directory);
                path = Path.Combine(directory, FileName(keystore.Address ?? throw new CliException($"{source}: the keystore does not state its address")));
                File.Copy(source, path);
            }
            else
            {
                string hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text : "0x" + text;
                var secret = new byte[32];
                if (!Hex.TryDecodeFixed(hex, secret, out string? error)) throw new CliException($"{source}: not a 32-byte hex private key: {error}");
                if (!Secp256k1.IsValidSecretKey(secret)) throw new CliException($"{source}: not a valid secp256k1 private key (zero or not below the group order)");
                string passphrase = PassphraseSource.Read(result.GetValue(passphraseFile), "Passphrase to encrypt the key with: ", confirm: true);
                path = Write(directory, secret, passphrase, result.GetValue(light));
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
            }
            Console.WriteLine($"address  {AddressOf(path)}");
            Console.WriteLine($"keystore {path}");
        }));
        return command;
    }

    /// <summary>Encrypts a key into a new file named the way geth names them (UTC--time--address).</summary>
    public static string Write(string directory, ReadOnlySpan<byte> secret, string passphrase, bool light, KeyScheme scheme = KeyScheme.Secp256k1)
    {
        byte[] json = Keystore.Encrypt(secret, passphrase, light ? ScryptCost.Light : ScryptCost.Standard, scheme);
        if (!Keystore.TryGetAddress(scheme, secret, out Address address)) throw new CliException("not a valid secp256k1 private key");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName(address));
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(json);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Decrypts a keystore file with a passphrase, for `node` (validator key).</summary>
    public static byte[] Decrypt(string path, string passphrase) => Decrypt(path, passphrase, out _);

    /// <summary>Decrypts a keystore file; <paramref name="scheme"/> says what the 32 bytes are.</summary>
    public static byte[] Decrypt(string path, string passphrase, out KeyScheme scheme)
    {
        KeystoreJson keystore = Parse(path);
        scheme = keystore.Scheme;
        var key = new byte[32];
        if (!Keystore.TryDecrypt(keystore, passphrase, key, out _, out string? message)) throw new CliException($"{path}: {message}");
        return key;
    }

    private static string FileName(Address address) =>
        $"UTC--{DateTime.UtcNow.ToString("yyyy-MM-ddTHH-mm-ss.fffffff", CultureInfo.InvariantCulture)}Z--{address.ToString()[2..]}";

    private static KeystoreJson Parse(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: {e.Message}");
        }
        if (!KeystoreJson.TryParse(bytes, out KeystoreJson? keystore, out _, out string? message)) throw new CliException($"{path}: {message}");
        return keystore;
    }

    private static string? TryReadAddress(string path, out string? error) => TryReadAddress(path, out error, out _);

    private static string? TryReadAddress(string path, out string? error, out KeyScheme scheme)
    {
        error = null;
        scheme = KeyScheme.Secp256k1;
        try
        {
            if (KeystoreJson.TryParse(File.ReadAllBytes(path), out KeystoreJson? keystore, out _, out error))
            {
                scheme = keystore.Scheme;
                return keystore.Address?.ToChecksumHex() ?? "(no address field)";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.Message;
        }
        return null;
    }

    private static string AddressOf(string path) => TryReadAddress(path, out string? error) ?? throw new CliException($"{path}: {error}");

    /// <summary>An existing file path, or the file in the directory whose keystore states this address.</summary>
    private static string Locate(string key, string directory)
    {
        if (File.Exists(key)) return key;
        if (!Address.TryParse(key, out Address address, out _)) throw new CliException($"'{key}' is neither a keystore file nor an address");
        if (Directory.Exists(directory))
        {
            foreach (string file in Directory.GetFiles(directory))
            {
                if (KeystoreJson.TryParse(File.ReadAllBytes(file), out KeystoreJson? keystore, out _, out _) && keystore.Address == address) return file;
            }
        }
        throw new CliException($"no key for {address.ToChecksumHex()} in {directory}");
    }
}
