using System.Net;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Config;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Config;

/// <summary>The network and consensus sections of a node config: what they parse to and each mistake's error.</summary>
public sealed class ValidatorConfigTests : IDisposable
{
    private static readonly NodeKey[] s_nodeKeys = [NodeKey.Generate(), NodeKey.Generate(), NodeKey.Generate()];
    private static readonly Address[] s_validators = [TestNode.Account(0), TestNode.Account(1), TestNode.Account(2)];

    private readonly string _directory = Directory.CreateTempSubdirectory("nexusfast-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_validator_config_parses_to_its_network_and_consensus_settings()
    {
        NodeSettings settings = Load(Config());

        NetworkSettings network = Assert.IsType<NetworkSettings>(settings.Network);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 26656), network.Listen);
        Assert.Equal(Path.Combine(_directory, "node_key"), network.NodeKeyFile);
        Assert.Equal([s_nodeKeys[1].Id, s_nodeKeys[2].Id], network.StaticPeers.Select(p => p.Id));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 26658), network.StaticPeers[1].EndPoint);

        ConsensusSettings consensus = Assert.IsType<ConsensusSettings>(settings.Consensus);
        Assert.Equal(s_validators, consensus.Validators.Select(v => v.Address));
        Assert.Equal(s_nodeKeys.Select(k => k.Id), consensus.Validators.Select(v => v.NodeId));
        Assert.Equal([1L, 2, 1], consensus.Validators.Select(v => v.VotingPower));
        Assert.Equal(500, consensus.BlockIntervalMs);
        Assert.Equal(2500, consensus.Timeouts.ProposeBaseMs);
        Assert.Equal(700, consensus.Timeouts.PrevoteBaseMs);
        Assert.Equal(500, consensus.Timeouts.ProposeDeltaMs); // not given: CometBFT's default
        Assert.Equal(4, consensus.ToValidatorSet().TotalVotingPower);
        Assert.Equal(Path.Combine(_directory, "signer.bin"), ValidatorConfig.SignerStatePath(settings));
        Assert.Equal(Path.Combine(_directory, "data", "consensus", "locked-value"), ValidatorConfig.LockedValuePath(settings));
    }

    [Fact]
    public void A_config_without_the_sections_is_a_single_node_as_before()
    {
        string path = Write("""{ "chainId": 7, "rpc": { "port": 8545 } }""");
        NodeSettings settings = NodeSettingsLoader.Load(path, _ => null, new Dictionary<string, string>());
        Assert.Null(settings.Network);
        Assert.Null(settings.Consensus);
        Assert.Equal(7UL, settings.ChainId);
    }

    [Theory]
    [InlineData("\"nodeid@127.0.0.1:1\"", "network.staticPeers[0] 'nodeid@127.0.0.1:1': a node id is 66 hex digits")]
    [InlineData("\"PEER1@127.0.0.1\"", "is not IP:PORT")]
    [InlineData("\"PEER1 127.0.0.1:26657\"", "the '@' is missing")]
    [InlineData("\"STRANGER@127.0.0.1:26657\"", "is no validator's nodeId in consensus.validators (unknown validator)")]
    [InlineData("\"PEER1@127.0.0.1:26657\", \"PEER2@127.0.0.1:26657\"", "both dial 127.0.0.1:26657 (duplicate port)")]
    [InlineData("\"PEER1@127.0.0.1:26657\", \"PEER1@127.0.0.1:26658\"", "repeats node")]
    public void Bad_static_peers_are_refused_precisely(string peers, string expected)
    {
        string json = Config().Replace("\"STATIC_PEERS\"", peers.Replace("PEER1", s_nodeKeys[1].Id.ToString()).Replace("PEER2", s_nodeKeys[2].Id.ToString())
            .Replace("STRANGER", NodeKey.Generate().Id.ToString()), StringComparison.Ordinal);
        ConfigException error = Assert.Throws<ConfigException>(() => Load(json, raw: true));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_rpc_port_equal_to_the_p2p_port_is_refused()
    {
        ConfigException error = Assert.Throws<ConfigException>(() => Load(Config().Insert(1, "\n  \"rpc\": { \"port\": 26656 },")));
        Assert.Contains("rpc.port 26656 is also the port of network.listen 127.0.0.1:26656; each needs its own", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("config ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dataDirectory", "a validator needs dataDirectory")]
    [InlineData("validatorKeyFile", "a validator needs validatorKeyFile")]
    public void A_validator_without_a_data_directory_or_key_is_refused(string field, string expected)
    {
        string json = string.Join('\n', Config().Split('\n').Where(line => !line.TrimStart().StartsWith($"\"{field}\"", StringComparison.Ordinal)));
        ConfigException error = Assert.Throws<ConfigException>(() => Load(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"validators\": []", "consensus.validators is empty")]
    [InlineData("\"validators\": [ { \"address\": \"0x12\", \"nodeId\": \"NODE0\" } ]", "consensus.validators[0].address '0x12' is not an address")]
    [InlineData("\"validators\": [ { \"address\": \"VAL0\" } ]", "consensus.validators[0].nodeId is missing")]
    [InlineData("\"validators\": [ { \"address\": \"VAL0\", \"nodeId\": \"NODE0\", \"votingPower\": 0 } ]", "consensus.validators[0].votingPower must be at least 1, got 0")]
    [InlineData("\"validators\": [ { \"address\": \"VAL0\", \"nodeId\": \"NODE0\" }, { \"address\": \"VAL0\", \"nodeId\": \"NODE1\" } ]", "consensus.validators[1].address 0x")]
    [InlineData("\"validators\": [ { \"address\": \"VAL0\", \"nodeId\": \"NODE0\" }, { \"address\": \"VAL1\", \"nodeId\": \"NODE0\" } ]", "is already the node of consensus.validators[0]")]
    [InlineData("\"validators\": [ { \"address\": \"VAL0\", \"nodeId\": \"NODE0\" } ], \"blockIntervalMs\": 3000", "proposeMs 3000 must be above consensus.blockIntervalMs 3000")]
    [InlineData("\"validators\": [ { \"address\": \"VAL0\", \"nodeId\": \"NODE0\" } ], \"timeouts\": { \"prevoteMs\": 0 }", "consensus.timeouts.prevoteMs 0 must be between 1 and 3600000")]
    public void Bad_consensus_sections_are_refused_precisely(string consensus, string expected)
    {
        string json = $$"""
            {
              "dataDirectory": "data",
              "validatorKeyFile": "key.json",
              "network": { "listen": "127.0.0.1:26656" },
              "consensus": { {{consensus}} }
            }
            """;
        json = json.Replace("VAL0", s_validators[0].ToString(), StringComparison.Ordinal).Replace("VAL1", s_validators[1].ToString(), StringComparison.Ordinal)
            .Replace("NODE0", s_nodeKeys[0].Id.ToString(), StringComparison.Ordinal).Replace("NODE1", s_nodeKeys[1].Id.ToString(), StringComparison.Ordinal);
        ConfigException error = Assert.Throws<ConfigException>(() => Load(json, raw: true));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_section_without_the_other_is_refused()
    {
        ConfigException network = Assert.Throws<ConfigException>(() => Load("""{ "dataDirectory": "d", "network": { "listen": "127.0.0.1:1" } }""", raw: true));
        Assert.Contains("a network section needs a consensus section", network.Message, StringComparison.Ordinal);
        string consensusOnly = $$"""{ "dataDirectory": "d", "consensus": { "validators": [ { "address": "{{s_validators[0]}}", "nodeId": "{{s_nodeKeys[0].Id}}" } ] } }""";
        ConfigException consensus = Assert.Throws<ConfigException>(() => Load(consensusOnly, raw: true));
        Assert.Contains("a consensus section needs a network section", consensus.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_own_keys_must_be_the_ones_the_set_names()
    {
        NodeSettings settings = Load(Config());
        ValidatorConfig.CheckOwnIdentity(settings, s_validators[0], s_nodeKeys[0].Id);

        ConfigException notInSet = Assert.Throws<ConfigException>(() => ValidatorConfig.CheckOwnIdentity(settings, TestNode.Proposer, s_nodeKeys[0].Id));
        Assert.Contains("which is not in consensus.validators", notInSet.Message, StringComparison.Ordinal);

        NodeId stranger = NodeKey.Generate().Id;
        ConfigException otherNode = Assert.Throws<ConfigException>(() => ValidatorConfig.CheckOwnIdentity(settings, s_validators[0], stranger));
        Assert.Contains($"but this node's key {Path.Combine(_directory, "node_key")} is node {stranger}", otherNode.Message, StringComparison.Ordinal);

        ConfigException self = Assert.Throws<ConfigException>(() => ValidatorConfig.CheckOwnIdentity(settings, s_validators[1], s_nodeKeys[1].Id));
        Assert.Contains("network.staticPeers[0] is this node itself", self.Message, StringComparison.Ordinal);
    }

    private string Config() => $$"""
        {
          "dataDirectory": "{{Path.Combine(_directory, "data")}}",
          "validatorKeyFile": "key.json",
          "network": {
            "listen": "127.0.0.1:26656",
            "nodeKeyFile": "node_key",
            "staticPeers": [ "STATIC_PEERS" ]
          },
          "consensus": {
            "validators": [
              { "address": "{{s_validators[0]}}", "votingPower": 1, "nodeId": "{{s_nodeKeys[0].Id}}" },
              { "address": "{{s_validators[1]}}", "votingPower": 2, "nodeId": "{{s_nodeKeys[1].Id}}" },
              { "address": "{{s_validators[2]}}", "nodeId": "{{s_nodeKeys[2].Id}}" }
            ],
            "blockIntervalMs": 500,
            "timeouts": { "proposeMs": 2500, "prevoteMs": 700 },
            "signerStateFile": "signer.bin"
          }
        }
        """;

    private NodeSettings Load(string json, bool raw = false)
    {
        if (!raw) json = json.Replace("\"STATIC_PEERS\"", $"\"{s_nodeKeys[1].Id}@127.0.0.1:26657\", \"{s_nodeKeys[2].Id}@127.0.0.1:26658\"", StringComparison.Ordinal);
        else json = json.Replace("\"STATIC_PEERS\"", $"\"{s_nodeKeys[1].Id}@127.0.0.1:26657\"", StringComparison.Ordinal);
        return NodeSettingsLoader.Load(Write(json), _ => null, new Dictionary<string, string>());
    }

    private string Write(string json)
    {
        string path = Path.Combine(_directory, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
