using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;
using NexusFast.Native.Config;

namespace NexusFast.Native.Cli;

/// <summary>What `nexusfast testnet init` writes.</summary>
public sealed record TestnetSpec
{
    public required string Directory { get; init; }

    public int Validators { get; init; } = 4;

    public ulong ChainId { get; init; } = 31337;

    /// <summary>RPC port of each node (one per validator).</summary>
    public required IReadOnlyList<int> RpcPorts { get; init; }

    /// <summary>Peer-to-peer port of each node (one per validator).</summary>
    public required IReadOnlyList<int> P2pPorts { get; init; }

    /// <summary>The address every node listens and is dialed on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Funded accounts from the standard test mnemonic (m/44'/60'/0'/0/i), as on the devnet.</summary>
    public int Accounts { get; init; } = 10;

    /// <summary>Balance of each funded account, in whole coins (10^18 wei).</summary>
    public ulong BalanceCoins { get; init; } = 10_000;

    public long BlockIntervalMs { get; init; } = 1000;

    /// <summary>Null: a propose timeout of the block interval + 2 s, CometBFT's defaults for the rest.</summary>
    public TimeoutsSection? Timeouts { get; init; }

    /// <summary>Null: now.</summary>
    public ulong? GenesisTimestamp { get; init; }

    /// <summary>Replace node directories an earlier init left in <see cref="Directory"/>.</summary>
    public bool Force { get; init; }
}

/// <summary>One node of a written testnet.</summary>
public sealed record TestnetNode(string Name, string ConfigPath, Address Validator, NodeId NodeId, int RpcPort, int P2pPort);

/// <summary>
/// Writes a local BFT testnet: DIR/node&lt;i&gt;/ with config.json, node_key, validator_key.json (keystore v3) and its
/// passphrase file, for every validator. Every config carries the same genesis (chain id, timestamp, funded accounts)
/// and the same validator set; each node's static peers are all the others. Keystores use scrypt N=4096 (the light
/// setting of `keys new --light`): their passphrases sit next to them anyway, and 4 nodes start in milliseconds
/// instead of seconds. Not for keys that guard value.
/// </summary>
public static class TestnetLayout
{
    public const string ConfigFileName = "config.json";

    public const string NodeKeyFileName = "node_key";

    public const string ValidatorKeyFileName = "validator_key.json";

    public const string PassphraseFileName = "passphrase";

    private static readonly UInt256 Wei = new(1_000_000_000_000_000_000);

    public static string NodeName(int index) => $"node{index}";

    public static IReadOnlyList<TestnetNode> Write(TestnetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Check(spec);
        string root = Path.GetFullPath(spec.Directory);
        PrepareDirectory(root, spec.Force);

        int n = spec.Validators;
        var nodeKeys = new NodeKey[n];
        var validators = new Address[n];
        var secrets = new byte[n][];
        try
        {
            for (int i = 0; i < n; i++)
            {
                string nodeDirectory = Path.Combine(root, NodeName(i));
                Directory.CreateDirectory(nodeDirectory);
                nodeKeys[i] = NodeKeyFile.Create(Path.Combine(nodeDirectory, NodeKeyFileName));
                secrets[i] = NewSecret();
                validators[i] = AddressOf(secrets[i]);
                WriteValidatorKey(nodeDirectory, secrets[i]);
            }
        }
        finally
        {
            foreach (byte[]? secret in secrets) if (secret is not null) CryptographicOperations.ZeroMemory(secret);
        }

        Mnemonic.TryParse(EthereumHdAccounts.TestMnemonic, out Mnemonic? mnemonic, out _);
        HdAccount[] accounts = EthereumHdAccounts.Derive(mnemonic!, spec.Accounts);
        string balance = (new UInt256(spec.BalanceCoins) * Wei).ToString();
        var genesis = new GenesisSection
        {
            Timestamp = spec.GenesisTimestamp ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Alloc = accounts.ToDictionary(a => a.Address.ToChecksumHex(), _ => balance),
        };
        var validatorEntries = Enumerable.Range(0, n)
            .Select(i => new ValidatorEntry { Address = validators[i].ToChecksumHex(), VotingPower = 1, NodeId = nodeKeys[i].Id.ToString() })
            .ToList();
        TimeoutsSection timeouts = spec.Timeouts ?? new TimeoutsSection { ProposeMs = spec.BlockIntervalMs + 2000 };

        var nodes = new List<TestnetNode>(n);
        for (int i = 0; i < n; i++)
        {
            string nodeDirectory = Path.Combine(root, NodeName(i));
            var config = new NodeConfigFile
            {
                // Absolute: the node resolves a relative data directory against its working directory, not the config.
                DataDirectory = Path.Combine(nodeDirectory, "data"),
                ChainId = spec.ChainId,
                ValidatorKeyFile = ValidatorKeyFileName,
                ValidatorPassphraseFile = PassphraseFileName,
                Rpc = new RpcSection { Host = spec.Host, Port = spec.RpcPorts[i] },
                Genesis = genesis,
                Network = new NetworkSection
                {
                    Listen = $"{spec.Host}:{spec.P2pPorts[i]}",
                    NodeKeyFile = NodeKeyFileName,
                    StaticPeers = Enumerable.Range(0, n).Where(j => j != i).Select(j => $"{nodeKeys[j].Id}@{spec.Host}:{spec.P2pPorts[j]}").ToList(),
                    // Every node is every other's static peer: the entry node's broadcast reaches all validators.
                    RelayTransactions = false,
                },
                Consensus = new ConsensusSection
                {
                    Validators = validatorEntries,
                    BlockIntervalMs = spec.BlockIntervalMs,
                    Timeouts = timeouts,
                },
            };
            string configPath = Path.Combine(nodeDirectory, ConfigFileName);
            File.WriteAllText(configPath, JsonSerializer.Serialize(config, NodeConfigWriteContext.Default.NodeConfigFile) + "\n");
            // Read back through the node's own loader: a layout the node would refuse is a bug here, not at start-up.
            NodeSettingsLoader.Load(configPath, _ => null, new Dictionary<string, string>());
            nodes.Add(new TestnetNode(NodeName(i), configPath, validators[i], nodeKeys[i].Id, spec.RpcPorts[i], spec.P2pPorts[i]));
        }
        return nodes;
    }

    /// <summary>The node directories of a testnet, in node order (node0, node1, ...).</summary>
    public static IReadOnlyList<(string Name, string ConfigPath)> Find(string directory)
    {
        if (!Directory.Exists(directory)) throw new CliException($"{directory}: no such directory (create a testnet with `nexusfast testnet init --out {directory}`)");
        var found = new List<(int Index, string Name, string ConfigPath)>();
        foreach (string nodeDirectory in Directory.GetDirectories(directory))
        {
            string name = Path.GetFileName(nodeDirectory);
            if (!TryParseNodeIndex(name, out int index)) continue;
            string config = Path.Combine(nodeDirectory, ConfigFileName);
            if (File.Exists(config)) found.Add((index, name, config));
        }
        if (found.Count == 0) throw new CliException($"{directory}: no node<i>/{ConfigFileName} in it (create a testnet with `nexusfast testnet init --out {directory}`)");
        return found.OrderBy(f => f.Index).Select(f => (f.Name, f.ConfigPath)).ToList();
    }

    private static void Check(TestnetSpec spec)
    {
        if (spec.Validators is < 1 or > 100) throw new CliException($"--validators must be between 1 and 100, got {spec.Validators}");
        if (spec.ChainId == 0) throw new CliException("--chain-id must be at least 1");
        if (spec.Accounts is < 0 or > 1000) throw new CliException("--accounts must be between 0 and 1000");
        if (spec.BlockIntervalMs is < 0 or > 3_600_000) throw new CliException("--block-time must be between 0 and 3600000 ms");
        if (spec.RpcPorts.Count != spec.Validators || spec.P2pPorts.Count != spec.Validators)
            throw new CliException($"{spec.Validators} validators need {spec.Validators} RPC and {spec.Validators} p2p ports");
        var used = new Dictionary<int, string>();
        for (int i = 0; i < spec.Validators; i++)
        {
            foreach ((int port, string kind) in new[] { (spec.RpcPorts[i], "RPC"), (spec.P2pPorts[i], "p2p") })
            {
                string what = $"the {kind} port of {NodeName(i)}";
                if (port is < 1 or > 65535) throw new CliException($"{what} would be {port}, not a TCP port (1-65535): choose lower base ports");
                if (!used.TryAdd(port, what)) throw new CliException($"{what} would be {port}, which is already {used[port]}: choose base ports further apart");
            }
        }
    }

    private static void PrepareDirectory(string root, bool force)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!force) throw new CliException($"{root} is not empty; choose another --out or pass --force to replace the node directories in it");
            // Only what an earlier init wrote: node<i> directories (with their chains). Anything else stays.
            foreach (string nodeDirectory in Directory.GetDirectories(root))
            {
                if (TryParseNodeIndex(Path.GetFileName(nodeDirectory), out _)) Directory.Delete(nodeDirectory, recursive: true);
            }
        }
        Directory.CreateDirectory(root);
    }

    private static bool TryParseNodeIndex(string name, out int index)
    {
        index = -1;
        return name.StartsWith("node", StringComparison.Ordinal) && name.Length > 4
            && int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    private static byte[] NewSecret()
    {
        var secret = new byte[32];
        do RandomNumberGenerator.Fill(secret); while (!Secp256k1.IsValidSecretKey(secret));
        return secret;
    }

    private static Address AddressOf(byte[] secret)
    {
        Span<byte> publicKey = stackalloc byte[65];
        Secp256k1.TryGetPublicKey(secret, publicKey);
        return Address.FromPublicKey(publicKey);
    }

    private static void WriteValidatorKey(string nodeDirectory, byte[] secret)
    {
        // 32 random bytes as hex: the passphrase protects nothing the file beside it does not also hold, but the
        // keystore stays a real one that `nexusfast keys show` and ethers read.
        string passphrase = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        WritePrivate(Path.Combine(nodeDirectory, PassphraseFileName), System.Text.Encoding.UTF8.GetBytes(passphrase + "\n"));
        WritePrivate(Path.Combine(nodeDirectory, ValidatorKeyFileName), Keystore.Encrypt(secret, passphrase, ScryptCost.Light));
    }

    private static void WritePrivate(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new FileStream(path, options);
        file.Write(content);
    }
}
