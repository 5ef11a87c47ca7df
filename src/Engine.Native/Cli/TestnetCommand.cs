using System.CommandLine;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Config;

namespace NexusFast.Native.Cli;

/// <summary>
/// `nexusfast testnet init|run`: a local BFT chain of N validators on 127.0.0.1, written as N ordinary node configs
/// (each also runnable as `nexusfast node --config DIR/node&lt;i&gt;/config.json`) and run as N child processes.
/// </summary>
public static class TestnetCommand
{
    public static Command Build()
    {
        var testnet = new Command("testnet", "Create and run a local multi-validator BFT chain (one process per validator).");
        testnet.Add(Init());
        testnet.Add(Run());
        return testnet;
    }

    private static Command Init()
    {
        var validators = new Option<int>("--validators", "-n") { Description = "Number of validators (each with voting power 1).", DefaultValueFactory = _ => 4 };
        var output = new Option<string>("--out", "-o") { Description = "Directory to write node0 .. node<N-1> into.", Required = true };
        var chainId = new Option<ulong>("--chain-id") { Description = "Chain id (EIP-155).", DefaultValueFactory = _ => 31337UL };
        var rpcPort = new Option<int>("--base-rpc-port") { Description = "JSON-RPC port of node0; node i gets this + i.", DefaultValueFactory = _ => 8545 };
        var p2pPort = new Option<int>("--base-p2p-port") { Description = "Peer-to-peer port of node0; node i gets this + i.", DefaultValueFactory = _ => 26656 };
        var accounts = new Option<int>("--accounts", "-a") { Description = "Funded accounts of the test mnemonic (the devnet's, anvil's and hardhat's keys).", DefaultValueFactory = _ => 10 };
        var balance = new Option<ulong>("--balance") { Description = "Balance of each funded account, in whole coins (10^18 wei).", DefaultValueFactory = _ => 10_000UL };
        var blockTime = new Option<long>("--block-time", "-b") { Description = "Milliseconds a proposer gathers transactions before it builds a block.", DefaultValueFactory = _ => 1000L };
        var proposeTimeout = new Option<long?>("--timeout-propose") { Description = "Round 0 propose timeout in ms (default: block time + 2000)." };
        var voteTimeout = new Option<long?>("--timeout-vote") { Description = "Round 0 prevote and precommit timeouts in ms (default 1000)." };
        var force = new Option<bool>("--force") { Description = "Replace the node<i> directories (and their chains) of an earlier init in --out." };
        var command = new Command("init", "Write configs, node keys, validator keystores and one shared genesis for a local testnet.")
        {
            validators, output, chainId, rpcPort, p2pPort, accounts, balance, blockTime, proposeTimeout, voteTimeout, force,
        };
        command.SetAction(result => CliRunner.Run(() =>
        {
            int n = result.GetValue(validators);
            int rpcBase = result.GetValue(rpcPort);
            int p2pBase = result.GetValue(p2pPort);
            long interval = result.GetValue(blockTime);
            long? vote = result.GetValue(voteTimeout);
            var spec = new TestnetSpec
            {
                Directory = result.GetValue(output)!,
                Validators = n,
                ChainId = result.GetValue(chainId),
                RpcPorts = Enumerable.Range(0, Math.Max(n, 0)).Select(i => rpcBase + i).ToArray(),
                P2pPorts = Enumerable.Range(0, Math.Max(n, 0)).Select(i => p2pBase + i).ToArray(),
                Accounts = result.GetValue(accounts),
                BalanceCoins = result.GetValue(balance),
                BlockIntervalMs = interval,
                Timeouts = new TimeoutsSection
                {
                    ProposeMs = result.GetValue(proposeTimeout) ?? interval + 2000,
                    PrevoteMs = vote,
                    PrecommitMs = vote,
                },
                Force = result.GetValue(force),
            };
            IReadOnlyList<TestnetNode> nodes = TestnetLayout.Write(spec);
            PrintSummary(Console.Out, spec, nodes);
        }));
        return command;
    }

    private static Command Run()
    {
        var directory = new Option<string>("--dir", "-d") { Description = "A directory written by `nexusfast testnet init`.", Required = true };
        var command = new Command("run", "Start every node of a testnet directory as a child process; Ctrl+C or SIGTERM stops them all.") { directory };
        command.SetAction((result, cancellation) => CliRunner.RunAsync(() =>
            TestnetSupervisor.RunAsync(TestnetLayout.Find(result.GetValue(directory)!), Console.Out, cancellation)));
        return command;
    }

    private static void PrintSummary(TextWriter output, TestnetSpec spec, IReadOnlyList<TestnetNode> nodes)
    {
        output.WriteLine($"testnet of {nodes.Count} validators, chain id {spec.ChainId}, in {Path.GetFullPath(spec.Directory)}");
        output.WriteLine();
        foreach (TestnetNode node in nodes)
        {
            output.WriteLine($"{node.Name}  validator {node.Validator.ToChecksumHex()}  rpc http://{spec.Host}:{node.RpcPort}  p2p {node.NodeId.ToShortString()}@{spec.Host}:{node.P2pPort}");
        }
        Mnemonic.TryParse(EthereumHdAccounts.TestMnemonic, out Mnemonic? mnemonic, out _);
        HdAccount[] accounts = EthereumHdAccounts.Derive(mnemonic!, spec.Accounts);
        if (accounts.Length > 0)
        {
            output.WriteLine();
            output.WriteLine($"Funded accounts ({spec.BalanceCoins} coins each; mnemonic \"{EthereumHdAccounts.TestMnemonic}\")");
            for (int i = 0; i < accounts.Length; i++) output.WriteLine($"({i}) {accounts[i].Address.ToChecksumHex()}  {Hex.ToHexData(accounts[i].PrivateKey)}");
        }
        output.WriteLine();
        output.WriteLine($"start all:   nexusfast testnet run --dir {spec.Directory}");
        output.WriteLine($"or one each: nexusfast node --config {Path.Combine(spec.Directory, "node0", TestnetLayout.ConfigFileName)}   (and node1 ...)");
    }
}
