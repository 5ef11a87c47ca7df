using System.CommandLine;
using System.Security.Cryptography;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Cli;

/// <summary>
/// `nexusfast tx sign`: signs a transaction offline with a keystore key and prints the raw transaction as 0x-hex on one
/// line, for eth_sendRawTransaction. An ML-DSA keystore gives a Nexus type 0x4e transaction, a secp256k1 one an
/// EIP-1559 (type 2) transaction with the same fields; scripts can therefore send either kind the same way.
/// </summary>
public static class TxCommands
{
    public static Command Build()
    {
        var tx = new Command("tx", "Build and sign transactions offline.");
        tx.Add(Sign());
        return tx;
    }

    private static Command Sign()
    {
        Option<string> keystore = new("--keystore") { Description = "The keystore file of the signing key.", Required = true };
        Option<string?> passphraseFile = new("--passphrase-file") { Description = "Read the passphrase from the first line of this file instead of the terminal." };
        Option<string> chainId = Required("--chain-id", "Chain id (decimal or 0x-hex).");
        Option<string> nonce = Required("--nonce", "The sender's next nonce (decimal or 0x-hex).");
        Option<string?> to = new("--to") { Description = "Recipient address; leave out to create a contract (the data is then its code)." };
        Option<string> value = Optional("--value", "Wei to transfer (decimal or 0x-hex).", "0");
        Option<string> maxFee = Required("--max-fee", "maxFeePerGas in wei (decimal or 0x-hex).");
        Option<string> maxPriorityFee = Required("--max-priority-fee", "maxPriorityFeePerGas in wei (decimal or 0x-hex).");
        Option<string> gas = Required("--gas", "Gas limit (decimal or 0x-hex). An ML-DSA transfer needs 79944 with --key-hash, 131176 carrying the key.");
        Option<string> data = Optional("--data", "Call data or contract code as 0x-hex.", "0x");
        Option<bool> keyHash = new("--key-hash")
        {
            Description = "ML-DSA only: carry the 32-byte hash of the public key instead of the key itself. Allowed once an earlier transaction of the account, carrying the key, is in a block.",
        };
        var command = new Command("sign", "Sign a transaction with a keystore key and print the raw transaction hex.")
        {
            keystore, passphraseFile, chainId, nonce, to, value, maxFee, maxPriorityFee, gas, data, keyHash,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            var tx = new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = ParseUInt64(result.GetValue(chainId)!, "--chain-id"),
                Nonce = ParseUInt64(result.GetValue(nonce)!, "--nonce"),
                To = result.GetValue(to) is { } recipient ? ParseAddress(recipient) : null,
                Value = ParseUInt256(result.GetValue(value)!, "--value"),
                MaxFeePerGas = ParseUInt256(result.GetValue(maxFee)!, "--max-fee"),
                MaxPriorityFeePerGas = ParseUInt256(result.GetValue(maxPriorityFee)!, "--max-priority-fee"),
                GasLimit = ParseUInt64(result.GetValue(gas)!, "--gas"),
                Data = ParseData(result.GetValue(data)!),
            };
            if (tx.MaxPriorityFeePerGas > tx.MaxFeePerGas) throw new CliException("--max-priority-fee is above --max-fee");

            string path = result.GetValue(keystore)!;
            string passphrase = PassphraseSource.Read(result.GetValue(passphraseFile), "Passphrase: ", confirm: false);
            byte[] secret = KeysCommands.Decrypt(path, passphrase, out KeyScheme scheme);
            try
            {
                if (scheme == KeyScheme.MlDsa65) SignMlDsa(tx, secret, embedKey: !result.GetValue(keyHash));
                else if (result.GetValue(keyHash)) throw new CliException($"{path} is a secp256k1 key: --key-hash applies to ML-DSA keys only");
                else TransactionSigner.Sign(tx, secret);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
            }

            ulong intrinsic = IntrinsicGas.Compute(tx);
            if (intrinsic > tx.GasLimit) throw new CliException($"--gas {tx.GasLimit} is below the intrinsic gas of this transaction, {intrinsic}");
            Console.WriteLine(Hex.ToHexData(TransactionEncoder.Encode(tx)));
        }));
        return command;
    }

    /// <summary>Regenerates the key pair from the stored seed and signs (hedged, as FIPS 204 recommends).</summary>
    private static void SignMlDsa(Transaction tx, byte[] seed, bool embedKey)
    {
        MlDsaParameters parameters = MlDsaTransactions.Parameters;
        var publicKey = new byte[parameters.PublicKeySize];
        var secretKey = new byte[parameters.SecretKeySize];
        try
        {
            MlDsaScheme.GenerateKey(parameters, seed, publicKey, secretKey);
            MlDsaTransactionSigner.Sign(tx, secretKey, publicKey, embedKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretKey);
        }
    }

    private static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    private static Option<string> Optional(string name, string description, string defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static ulong ParseUInt64(string text, string option)
    {
        UInt256 value = ParseUInt256(text, option);
        if (value > new UInt256(ulong.MaxValue)) throw new CliException($"{option} {text} does not fit in 64 bits");
        return (ulong)value;
    }

    private static UInt256 ParseUInt256(string text, string option)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!Hex.TryParseQuantity(text, out UInt256 hexValue, out string? error)) throw new CliException($"{option} {text}: {error}");
            return hexValue;
        }
        if (text.Length == 0 || !text.All(char.IsAsciiDigit)) throw new CliException($"{option} {text}: expected a decimal number or 0x-hex");
        try
        {
            return UInt256.Parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new CliException($"{option} {text}: {e.Message}");
        }
    }

    private static Address ParseAddress(string text)
    {
        if (!Address.TryParse(text, out Address address, out string? error)) throw new CliException($"--to {text}: {error}");
        return address;
    }

    private static byte[] ParseData(string text)
    {
        if (!Hex.TryParseData(text.Trim(), out byte[]? bytes, out string? error)) throw new CliException($"--data: {error}");
        return bytes;
    }
}
