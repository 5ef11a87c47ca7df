using System.CommandLine;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;
using NexusFast.Native.Config;
using NexusFast.Native.Hosting;

namespace NexusFast.Native.Cli;

/// <summary>
/// `nexusfast node --config FILE`: the same engine as the devnet, configured from a JSON file, overridable by
/// NEXUSFAST_* environment variables and then by flags. With network and consensus sections it runs as one validator
/// of a BFT chain (see `nexusfast testnet init`).
/// </summary>
public static class NodeCommand
{
    public static Command Build()
    {
        var config = new Option<string?>("--config", "-c") { Description = "JSON configuration file (see README: Running a node)." };
        var data = new Option<string?>("--data") { Description = "Data directory (overrides dataDirectory)." };
        var host = new Option<string?>("--host") { Description = "RPC listen address (overrides rpc.host)." };
        var port = new Option<int?>("--port", "-p") { Description = "RPC port (overrides rpc.port)." };
        var blockTime = new Option<ulong?>("--block-time", "-b") { Description = "Milliseconds between blocks; 0 builds one as soon as transactions are ready." };
        var logFormat = new Option<string?>("--log-format") { Description = "text or json." };
        var passphraseFile = new Option<string?>("--passphrase-file") { Description = "File holding the validator keystore's passphrase (otherwise asked on the terminal)." };

        var command = new Command("node", "Run a validator node from a configuration file.") { config, data, host, port, blockTime, logFormat, passphraseFile };
        command.SetAction((result, cancellation) => CliRunner.RunAsync(async () =>
        {
            var flags = new Dictionary<string, string>();
            if (result.GetValue(data) is { } d) flags["dataDirectory"] = d;
            if (result.GetValue(host) is { } h) flags["rpc.host"] = h;
            if (result.GetValue(port) is { } p) flags["rpc.port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (result.GetValue(blockTime) is { } b) flags["blockTimeMs"] = b.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (result.GetValue(logFormat) is { } l) flags["logFormat"] = l;
            if (result.GetValue(passphraseFile) is { } f) flags["validatorPassphraseFile"] = f;
            NodeSettings settings = NodeSettingsLoader.Load(result.GetValue(config), Environment.GetEnvironmentVariable, flags);
            byte[]? secret = ValidatorSecret(settings);
            Address proposer = secret is null ? Address.Zero : AddressOf(secret);
            if (settings.Consensus is null && secret is not null)
            {
                // Without consensus the key only names the coinbase; the signer of a validator keeps its own copy.
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
                secret = null;
            }
            return await NodeRunner.RunAsync(settings, [], mnemonic: null, isDevnet: false, proposer, secret, cancellation);
        }));
        return command;
    }

    /// <summary>The validator key from its keystore (decrypting proves the passphrase); null when none is configured.</summary>
    private static byte[]? ValidatorSecret(NodeSettings settings)
    {
        if (settings.ValidatorKeyFile is not { } keyFile) return null;
        string passphrase = PassphraseSource.Read(settings.ValidatorPassphraseFile, $"Passphrase for {keyFile}: ", confirm: false);
        return KeysCommands.Decrypt(keyFile, passphrase);
    }

    private static Address AddressOf(byte[] secret)
    {
        Span<byte> publicKey = stackalloc byte[65];
        Secp256k1.TryGetPublicKey(secret, publicKey);
        return Address.FromPublicKey(publicKey);
    }
}
