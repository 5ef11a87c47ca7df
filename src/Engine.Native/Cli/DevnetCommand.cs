using System.CommandLine;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Config;
using NexusFast.Native.Hosting;

namespace NexusFast.Native.Cli;

/// <summary>
/// `nexusfast devnet`: one validator on loopback with funded accounts from the standard test mnemonic, so that
/// addresses and keys match anvil and hardhat (flags named as anvil names them).
/// </summary>
public static class DevnetCommand
{
    private static readonly UInt256 Wei = new(1_000_000_000_000_000_000);

    public static Command Build()
    {
        var port = new Option<int>("--port", "-p") { Description = "JSON-RPC port.", DefaultValueFactory = _ => 8545 };
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var chainId = new Option<ulong>("--chain-id") { Description = "Chain id (EIP-155).", DefaultValueFactory = _ => 31337UL };
        var accounts = new Option<int>("--accounts", "-a") { Description = "Number of funded dev accounts.", DefaultValueFactory = _ => 10 };
        var balance = new Option<ulong>("--balance") { Description = "Balance of each dev account, in whole coins (10^18 wei).", DefaultValueFactory = _ => 10_000UL };
        var blockTime = new Option<ulong>("--block-time", "-b") { Description = "Milliseconds between blocks; 0 (default) mines a block as soon as transactions arrive." };
        var data = new Option<string?>("--data") { Description = "Keep the chain in this directory (reopened on restart); default: in memory." };
        var mnemonic = new Option<string>("--mnemonic", "-m") { Description = "BIP-39 mnemonic the dev accounts derive from (m/44'/60'/0'/0/i).", DefaultValueFactory = _ => EthereumHdAccounts.TestMnemonic };
        var gasLimit = new Option<ulong>("--gas-limit") { Description = "Block gas limit.", DefaultValueFactory = _ => 30_000_000UL };
        var baseFee = new Option<string>("--base-fee") { Description = "Base fee of the first block, in wei.", DefaultValueFactory = _ => "1000000000" };
        var logFormat = new Option<string>("--log-format") { Description = "text or json.", DefaultValueFactory = _ => "text" };

        var command = new Command("devnet", "Start a one-validator development chain on 127.0.0.1:8545 with funded accounts (like anvil).")
        {
            port, host, chainId, accounts, balance, blockTime, data, mnemonic, gasLimit, baseFee, logFormat,
        };
        command.SetAction((result, cancellation) => CliRunner.RunAsync(async () =>
        {
            if (result.GetValue(accounts) is < 0 or > 1000) throw new CliException("--accounts must be between 0 and 1000");
            if (!Mnemonic.TryParse(result.GetValue(mnemonic)!, out Mnemonic? phrase, out string? mnemonicError))
                throw new CliException($"--mnemonic: {mnemonicError}");
            HdAccount[] devAccounts = EthereumHdAccounts.Derive(phrase, result.GetValue(accounts));
            UInt256 each = new UInt256(result.GetValue(balance)) * Wei;
            var settings = new NodeSettings
            {
                DataDirectory = result.GetValue(data),
                ChainId = result.GetValue(chainId),
                GasLimit = result.GetValue(gasLimit),
                BaseFee = NodeSettingsLoader.ParseWei(result.GetValue(baseFee)!, "--base-fee", "command line"),
                BlockTimeMs = result.GetValue(blockTime),
                RpcHost = result.GetValue(host)!,
                RpcPort = result.GetValue(port),
                GenesisAllocations = devAccounts.Select(a => new GenesisAllocation(a.Address, each)).ToArray(),
                LogFormat = NodeSettingsLoader.ParseLogFormat(result.GetValue(logFormat)!, "--log-format", "command line"),
            };
            if (settings.ChainId == 0) throw new CliException("--chain-id must be at least 1");
            // anvil's convention: fees go to the zero address unless a coinbase is set, so dev balances stay predictable.
            return await NodeRunner.RunAsync(settings, devAccounts, phrase.Phrase, isDevnet: true, Address.Zero, cancellation);
        }));
        return command;
    }

    /// <summary>What anvil prints at start: accounts, keys, mnemonic, chain parameters and where it listens.</summary>
    public static void PrintBanner(TextWriter output, NodeSettings settings, IReadOnlyList<HdAccount> accounts, string? mnemonic, string listeningOn)
    {
        output.WriteLine();
        output.WriteLine($"NexusFast devnet {NexusCli.Version}");
        output.WriteLine();
        output.WriteLine("Available Accounts");
        output.WriteLine("==================");
        for (int i = 0; i < accounts.Count; i++)
        {
            UInt256 balance = settings.GenesisAllocations.First(a => a.Address == accounts[i].Address).Balance;
            output.WriteLine($"({i}) {accounts[i].Address.ToChecksumHex()} ({balance / Wei} coins)");
        }
        output.WriteLine();
        output.WriteLine("Private Keys");
        output.WriteLine("==================");
        for (int i = 0; i < accounts.Count; i++) output.WriteLine($"({i}) {Hex.ToHexData(accounts[i].PrivateKey)}");
        if (mnemonic is not null)
        {
            output.WriteLine();
            output.WriteLine("Wallet");
            output.WriteLine("==================");
            output.WriteLine($"Mnemonic:          {mnemonic}");
            output.WriteLine("Derivation path:   m/44'/60'/0'/0/");
        }
        output.WriteLine();
        output.WriteLine($"Chain ID:          {settings.ChainId}");
        output.WriteLine($"Base Fee:          {settings.BaseFee} wei");
        output.WriteLine($"Gas Limit:         {settings.GasLimit}");
        output.WriteLine($"Block production:  {(settings.BlockTimeMs == 0 ? "automine (a block per submission)" : $"every {settings.BlockTimeMs} ms")}");
        output.WriteLine($"Data:              {settings.DataDirectory ?? "in memory"}");
        output.WriteLine();
        output.WriteLine($"Listening on {listeningOn}");
        output.Flush();
    }
}
