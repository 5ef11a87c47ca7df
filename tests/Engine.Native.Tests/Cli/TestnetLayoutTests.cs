using System.Text.Json;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Cli;
using NexusFast.Native.Config;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Cli;

/// <summary>`nexusfast testnet init`: the files it writes, and that they describe one chain that the node accepts.</summary>
public sealed class TestnetLayoutTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"nexusfast-testnet-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private TestnetSpec Spec(int n = 4) => new()
    {
        Directory = _directory,
        Validators = n,
        ChainId = 4242,
        RpcPorts = Enumerable.Range(0, n).Select(i => 18545 + i).ToArray(),
        P2pPorts = Enumerable.Range(0, n).Select(i => 36656 + i).ToArray(),
        Accounts = 3,
        BalanceCoins = 100,
        BlockIntervalMs = 400,
    };

    [Fact]
    public void Init_writes_one_directory_per_validator_with_its_keys_and_config()
    {
        IReadOnlyList<TestnetNode> nodes = TestnetLayout.Write(Spec());

        Assert.Equal(["node0", "node1", "node2", "node3"], nodes.Select(n => n.Name));
        for (int i = 0; i < 4; i++)
        {
            string directory = Path.Combine(_directory, $"node{i}");
            Assert.Equal(
                [TestnetLayout.ConfigFileName, TestnetLayout.NodeKeyFileName, TestnetLayout.PassphraseFileName, TestnetLayout.ValidatorKeyFileName],
                Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(nodes[i].NodeId, NodeKeyFile.Load(Path.Combine(directory, TestnetLayout.NodeKeyFileName)).Id);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, TestnetLayout.PassphraseFileName)));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, TestnetLayout.ValidatorKeyFileName)));
            }

            // The keystore opens with the passphrase beside it, is the light scrypt setting, and holds the listed validator's key.
            NodeSettings settings = Load(nodes[i].ConfigPath);
            byte[] keystoreBytes = File.ReadAllBytes(settings.ValidatorKeyFile!);
            Assert.True(KeystoreJson.TryParse(keystoreBytes, out KeystoreJson? keystore, out _, out string? parseError), parseError);
            Assert.Equal(ScryptCost.Light.N, keystore.ScryptCost.N);
            var secret = new byte[32];
            string passphrase = PassphraseSource.FromFile(settings.ValidatorPassphraseFile!);
            Assert.True(Keystore.TryDecrypt(keystore, passphrase, secret, out _, out string? decryptError), decryptError);
            Assert.Equal(nodes[i].Validator, TestNode.AddressOf(secret));
        }
    }

    [Fact]
    public void Every_config_has_the_same_genesis_and_validator_set_and_its_own_ports()
    {
        IReadOnlyList<TestnetNode> nodes = TestnetLayout.Write(Spec());
        NodeSettings[] settings = nodes.Select(n => Load(n.ConfigPath)).ToArray();

        using JsonDocument first = JsonDocument.Parse(File.ReadAllText(nodes[0].ConfigPath));
        string genesis = first.RootElement.GetProperty("genesis").GetRawText();
        string validators = first.RootElement.GetProperty("consensus").GetProperty("validators").GetRawText();
        foreach (TestnetNode node in nodes)
        {
            using JsonDocument config = JsonDocument.Parse(File.ReadAllText(node.ConfigPath));
            Assert.Equal(genesis, config.RootElement.GetProperty("genesis").GetRawText());
            Assert.Equal(validators, config.RootElement.GetProperty("consensus").GetProperty("validators").GetRawText());
        }

        for (int i = 0; i < 4; i++)
        {
            NodeSettings s = settings[i];
            Assert.Equal(4242UL, s.ChainId);
            Assert.Equal(18545 + i, s.RpcPort);
            Assert.Equal("127.0.0.1", s.RpcHost);
            Assert.Equal(36656 + i, s.Network!.Listen.Port);
            Assert.Equal(Path.Combine(_directory, $"node{i}", "data"), s.DataDirectory);
            Assert.Equal(nodes.Select(n => n.Validator), s.Consensus!.Validators.Select(v => v.Address));
            Assert.Equal(nodes.Select(n => n.NodeId), s.Consensus.Validators.Select(v => v.NodeId));
            Assert.Equal(400, s.Consensus.BlockIntervalMs);
            Assert.Equal(2400, s.Consensus.Timeouts.ProposeBaseMs);
            // Static peers: every other node, at its p2p port.
            Assert.Equal(nodes.Where((_, j) => j != i).Select(n => new PeerAddress(n.NodeId, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, n.P2pPort))),
                s.Network.StaticPeers);
            // A full mesh: the entry node's broadcast reaches every validator, so nothing is relayed.
            Assert.False(s.Network.RelayTransactions);
            ValidatorConfig.CheckOwnIdentity(s, nodes[i].Validator, nodes[i].NodeId);

            // The test mnemonic's first accounts, funded as on the devnet.
            Assert.Equal([TestNode.Account(0), TestNode.Account(1), TestNode.Account(2)], s.GenesisAllocations.Select(a => a.Address));
            Assert.All(s.GenesisAllocations, a => Assert.Equal(UInt256.Parse("100000000000000000000"), a.Balance));
            Assert.Equal(settings[0].GenesisTimestamp, s.GenesisTimestamp);
        }
        Assert.Equal(4, nodes.Select(n => n.Validator).Distinct().Count());
        Assert.Equal(4, nodes.Select(n => n.NodeId).Distinct().Count());
        Assert.Equal(nodes.Select(n => (n.Name, n.ConfigPath)), TestnetLayout.Find(_directory));
    }

    [Fact]
    public void Init_refuses_a_non_empty_directory_unless_forced()
    {
        TestnetLayout.Write(Spec());
        string other = Path.Combine(_directory, "notes.txt");
        File.WriteAllText(other, "mine");
        Address before = Load(Path.Combine(_directory, "node0", TestnetLayout.ConfigFileName)).Consensus!.Validators[0].Address;

        CliException refused = Assert.Throws<CliException>(() => TestnetLayout.Write(Spec(2)));
        Assert.Contains("is not empty", refused.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_directory, "node3")));

        TestnetLayout.Write(Spec(2) with { Force = true });
        Assert.False(Directory.Exists(Path.Combine(_directory, "node3")));
        Assert.Equal("mine", File.ReadAllText(other));
        Assert.NotEqual(before, Load(Path.Combine(_directory, "node0", TestnetLayout.ConfigFileName)).Consensus!.Validators[0].Address);
    }

    [Fact]
    public void Colliding_ports_are_refused_before_anything_is_written()
    {
        CliException error = Assert.Throws<CliException>(() => TestnetLayout.Write(Spec() with { P2pPorts = [18547, 18548, 18549, 18550] }));
        Assert.Equal("the RPC port of node2 would be 18547, which is already the p2p port of node0: choose base ports further apart", error.Message);
        Assert.False(Directory.Exists(_directory));
    }

    private static NodeSettings Load(string path) => NodeSettingsLoader.Load(path, _ => null, new Dictionary<string, string>());
}
