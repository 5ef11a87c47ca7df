using System.Net;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Config;

/// <summary>
/// Parses and checks the network and consensus sections of a node's config (validator mode). A mistake here would
/// otherwise show up as a validator that never reaches a quorum, so every check names the field and the value.
/// </summary>
public static class ValidatorConfig
{
    public const string SignerStateFileName = "consensus/signer-state";

    public const string LockedValueFileName = "consensus/locked-value";

    public const string NodeKeyFileName = "node_key";

    public static NetworkSettings ParseNetwork(NetworkSection section, string configPath, string source)
    {
        var settings = new NetworkSettings();
        if (section.Listen is { } listen) settings = settings with { Listen = ParseEndPoint(listen, "network.listen", source) };
        var peers = new List<PeerAddress>();
        List<string> texts = section.StaticPeers ?? [];
        for (int i = 0; i < texts.Count; i++)
        {
            if (!PeerAddress.TryParse(texts[i], out PeerAddress? peer, out string? error))
                throw new ConfigException($"{source}: network.staticPeers[{i}] '{texts[i]}': {error}");
            peers.Add(peer);
        }
        return settings with
        {
            NodeKeyFile = NodeSettingsLoader.RelativeTo(configPath, section.NodeKeyFile),
            StaticPeers = peers,
            RelayTransactions = section.RelayTransactions ?? true,
        };
    }

    public static ConsensusSettings ParseConsensus(ConsensusSection section, string configPath, string source)
    {
        List<ValidatorEntry> entries = section.Validators ?? throw new ConfigException($"{source}: consensus.validators is missing (the validator set)");
        if (entries.Count == 0) throw new ConfigException($"{source}: consensus.validators is empty; a chain needs at least one validator");
        var validators = new List<ValidatorEntrySettings>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            string field = $"consensus.validators[{i}]";
            ValidatorEntry entry = entries[i];
            if (entry.Address is not { } addressText) throw new ConfigException($"{source}: {field}.address is missing");
            if (!Address.TryParse(addressText, out Address address, out string? addressError))
                throw new ConfigException($"{source}: {field}.address '{addressText}' is not an address: {addressError}");
            long power = entry.VotingPower ?? 1;
            if (power < 1) throw new ConfigException($"{source}: {field}.votingPower must be at least 1, got {power}");
            if (entry.NodeId is not { } nodeText) throw new ConfigException($"{source}: {field}.nodeId is missing (the node id of the validator's node key)");
            if (!NodeId.TryParse(nodeText, out NodeId nodeId, out string? nodeError))
                throw new ConfigException($"{source}: {field}.nodeId '{nodeText}': {nodeError}");
            int earlier = validators.FindIndex(v => v.Address == address);
            if (earlier >= 0) throw new ConfigException($"{source}: {field}.address {address} is already consensus.validators[{earlier}]");
            earlier = validators.FindIndex(v => v.NodeId == nodeId);
            if (earlier >= 0) throw new ConfigException($"{source}: {field}.nodeId {nodeId} is already the node of consensus.validators[{earlier}]");
            validators.Add(new ValidatorEntrySettings(address, power, nodeId));
        }
        try
        {
            ValidatorSet.Create(validators.Select(v => new Validator(v.Address, v.VotingPower)));
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"{source}: consensus.validators: {e.Message}");
        }

        TimeoutsSection timeouts = section.Timeouts ?? new TimeoutsSection();
        TimeoutConfig defaults = TimeoutConfig.Default;
        var timeoutConfig = new TimeoutConfig(
            Duration(timeouts.ProposeMs, defaults.ProposeBaseMs, "consensus.timeouts.proposeMs", source, positive: true),
            Duration(timeouts.ProposeDeltaMs, defaults.ProposeDeltaMs, "consensus.timeouts.proposeDeltaMs", source, positive: false),
            Duration(timeouts.PrevoteMs, defaults.PrevoteBaseMs, "consensus.timeouts.prevoteMs", source, positive: true),
            Duration(timeouts.PrevoteDeltaMs, defaults.PrevoteDeltaMs, "consensus.timeouts.prevoteDeltaMs", source, positive: false),
            Duration(timeouts.PrecommitMs, defaults.PrecommitBaseMs, "consensus.timeouts.precommitMs", source, positive: true),
            Duration(timeouts.PrecommitDeltaMs, defaults.PrecommitDeltaMs, "consensus.timeouts.precommitDeltaMs", source, positive: false));
        long interval = Duration(section.BlockIntervalMs, 1000, "consensus.blockIntervalMs", source, positive: false);
        // The proposer builds its block after the interval; a propose timeout at or below it would skip every round 0.
        if (timeoutConfig.ProposeBaseMs <= interval)
        {
            throw new ConfigException(
                $"{source}: consensus.timeouts.proposeMs {timeoutConfig.ProposeBaseMs} must be above consensus.blockIntervalMs {interval}, or no proposal arrives in time");
        }
        return new ConsensusSettings
        {
            Validators = validators,
            BlockIntervalMs = interval,
            Timeouts = timeoutConfig,
            SignerStateFile = NodeSettingsLoader.RelativeTo(configPath, section.SignerStateFile),
            LockedValueFile = NodeSettingsLoader.RelativeTo(configPath, section.LockedValueFile),
        };
    }

    /// <summary>Checks across sections, after the file, the environment and the flags are merged.</summary>
    public static void CheckConsistency(NodeSettings settings, string source)
    {
        if (settings.Network is null && settings.Consensus is null) return;
        if (settings.Consensus is null) throw new ConfigException($"{source}: a network section needs a consensus section (the validator set) beside it");
        if (settings.Network is not { } network) throw new ConfigException($"{source}: a consensus section needs a network section (listen address, peers) beside it");
        ConsensusSettings consensus = settings.Consensus;
        if (settings.DataDirectory is null)
            throw new ConfigException($"{source}: a validator needs dataDirectory: its chain, node key and double-sign protection must survive restarts");
        if (settings.ValidatorKeyFile is null) throw new ConfigException($"{source}: a validator needs validatorKeyFile (the keystore of the key that signs its votes)");
        if (settings.RpcPort != 0 && settings.RpcPort == network.Listen.Port && Overlap(settings.RpcHost, network.Listen.Address))
            throw new ConfigException($"{source}: rpc.port {settings.RpcPort} is also the port of network.listen {network.Listen}; each needs its own");
        for (int i = 0; i < network.StaticPeers.Count; i++)
        {
            PeerAddress peer = network.StaticPeers[i];
            if (!consensus.Validators.Any(v => v.NodeId == peer.Id))
                throw new ConfigException($"{source}: network.staticPeers[{i}] names node {peer.Id}, which is no validator's nodeId in consensus.validators (unknown validator)");
            for (int j = 0; j < i; j++)
            {
                if (network.StaticPeers[j].Id == peer.Id) throw new ConfigException($"{source}: network.staticPeers[{i}] repeats node {peer.Id} of network.staticPeers[{j}]");
                if (network.StaticPeers[j].EndPoint.Equals(peer.EndPoint))
                    throw new ConfigException($"{source}: network.staticPeers[{i}] and network.staticPeers[{j}] both dial {peer.EndPoint} (duplicate port)");
            }
        }
    }

    /// <summary>
    /// Checks this node's own keys against the set once they are loaded: its validator address must be in the set, the
    /// set must name this node's key for it, and no static peer may be this node.
    /// </summary>
    public static void CheckOwnIdentity(NodeSettings settings, Address validator, NodeId nodeId)
    {
        ConsensusSettings consensus = settings.Consensus ?? throw new InvalidOperationException("not a validator configuration");
        NetworkSettings network = settings.Network!;
        int index = consensus.Validators.ToList().FindIndex(v => v.Address == validator);
        if (index < 0)
        {
            throw new ConfigException(
                $"the validator key {settings.ValidatorKeyFile} is for {validator.ToChecksumHex()}, which is not in consensus.validators ({string.Join(", ", consensus.Validators.Select(v => v.Address.ToChecksumHex()))})");
        }
        if (consensus.Validators[index].NodeId != nodeId)
        {
            throw new ConfigException(
                $"consensus.validators[{index}] ({validator.ToChecksumHex()}) names node {consensus.Validators[index].NodeId}, but this node's key {NodeKeyPath(settings)} is node {nodeId}");
        }
        for (int i = 0; i < network.StaticPeers.Count; i++)
        {
            if (network.StaticPeers[i].Id == nodeId) throw new ConfigException($"network.staticPeers[{i}] is this node itself ({nodeId})");
            if (network.StaticPeers[i].EndPoint.Port == network.Listen.Port && IsLocal(network.StaticPeers[i].EndPoint.Address) && IsLocalOrAny(network.Listen.Address))
                throw new ConfigException($"network.staticPeers[{i}] dials {network.StaticPeers[i].EndPoint}, this node's own network.listen port (duplicate port)");
        }
    }

    public static string NodeKeyPath(NodeSettings settings) =>
        settings.Network?.NodeKeyFile ?? Path.Combine(settings.DataDirectory ?? ".", NodeKeyFileName);

    public static string SignerStatePath(NodeSettings settings) =>
        settings.Consensus?.SignerStateFile ?? Path.Combine(settings.DataDirectory ?? ".", SignerStateFileName);

    public static string LockedValuePath(NodeSettings settings) =>
        settings.Consensus?.LockedValueFile ?? Path.Combine(settings.DataDirectory ?? ".", LockedValueFileName);

    private static IPEndPoint ParseEndPoint(string text, string field, string source)
    {
        if (!IPEndPoint.TryParse(text, out IPEndPoint? endPoint) || !text.Contains(':'))
            throw new ConfigException($"{source}: {field} '{text}' is not IP:PORT (IPv6 as [ADDRESS]:PORT)");
        return endPoint;
    }

    private static long Duration(long? value, long fallback, string field, string source, bool positive)
    {
        long ms = value ?? fallback;
        if (ms < 0 || (positive && ms == 0) || ms > 3_600_000)
            throw new ConfigException($"{source}: {field} {ms} must be {(positive ? "between 1" : "between 0")} and 3600000 milliseconds");
        return ms;
    }

    private static bool Overlap(string rpcHost, IPAddress listen)
    {
        if (rpcHost == "localhost") return IsLocalOrAny(listen);
        if (!IPAddress.TryParse(rpcHost, out IPAddress? rpc)) return false;
        return rpc.Equals(listen) || IsAny(rpc) || IsAny(listen);
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static bool IsLocal(IPAddress address) => IPAddress.IsLoopback(address);

    private static bool IsLocalOrAny(IPAddress address) => IsLocal(address) || IsAny(address);
}
