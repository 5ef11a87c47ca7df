using System.Text;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Simulation;

/// <summary>
/// The engine's real chain as a simulated node's application: an in-memory <see cref="Blockchain"/> (real execution,
/// state tree and block log) behind a <see cref="ChainReplica"/>, in place of <see cref="TransferApp"/>. The node's
/// durable blocks stay on its <see cref="SimDisk"/>; a restart opens a fresh chain that the host replays them into.
/// </summary>
public sealed class ChainApplication : IReplicatedApplication, IDisposable
{
    private readonly ChainReplica _replica;

    public ChainApplication(Simulation sim)
    {
        ArgumentNullException.ThrowIfNull(sim);
        Chain = Blockchain.Open(Options);
        _replica = new ChainReplica(Chain, sim.Genesis, sim.Clock, Simulation.ChainId, ChainReplica.DefaultFutureDriftSecondsMax, sim.Cache);
    }

    /// <summary>Small FASTER sizes: a run opens a chain per node and per restart.</summary>
    public static ChainOptions Options { get; } = new()
    {
        Config = new ChainConfig { ChainId = Simulation.ChainId },
        Genesis = new GenesisSpec
        {
            Timestamp = Simulation.GenesisTimestamp,
            Allocations = SimWorkload.Keys.Select(key => new GenesisAllocation(SimWorkload.AddressOf(key), new UInt256(1_000_000_000_000_000_000))).ToArray(),
        },
        State = new StateStoreOptions { IndexSizeBytes = 1L << 16, LogMemoryBytes = 1L << 20, LogPageBytes = 1L << 14, NodeCacheCapacity = 1 << 12 },
    };

    public Blockchain Chain { get; }

    public ulong Height => _replica.Height;

    public Hash256 StateRoot => _replica.StateRoot;

    public Hash256 ComputeHash(byte[] block) => _replica.ComputeHash(block);

    public byte[] BuildBlock(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence) => _replica.BuildBlock(proposer, evidence);

    public string? Validate(Hash256 hash, byte[] block) => _replica.Validate(hash, block);

    public CommitResult Commit(Hash256 hash, byte[] block, CommitCertificate certificate) => _replica.Commit(hash, block, certificate);

    public bool IsCommitted(DuplicateVoteEvidence evidence) => _replica.IsCommitted(evidence);

    /// <summary>A byzantine proposer's edit: the same block claiming another state root (so another hash).</summary>
    public static byte[] Corrupt(byte[] block)
    {
        if (!BlockWireCodec.TryDecode(block, Options.Config, out Block? decoded, out string? error)) throw new InvalidOperationException(error);
        BlockHeader header = decoded.Header with { StateRoot = Keccak256.Compute(decoded.Header.StateRoot.Bytes) };
        return BlockWireCodec.Encode(new Block(header, BlockHeaderCodec.ComputeHash(header), decoded.Transactions, AccountOverride.None, decoded.Evidence));
    }

    public void Dispose() => Chain.Dispose();
}

/// <summary>
/// Signed transfers among a few funded accounts, each sender's nonces in sequence, submitted to every running node's pool
/// as gossip would. Signatures are deterministic (RFC 6979), so a seed gives the same bytes every time.
/// </summary>
public sealed class SimWorkload
{
    public static readonly byte[][] Keys = Enumerable.Range(0, 4)
        .Select(i => Keccak256.Compute(Encoding.ASCII.GetBytes($"nexusfast simulation account {i}")).ToArray()).ToArray();

    private readonly ulong[] _nonces = new ulong[Keys.Length];

    public static Address AddressOf(byte[] key)
    {
        Span<byte> publicKey = stackalloc byte[65];
        if (!Secp256k1.TryGetPublicKey(key, publicKey)) throw new InvalidOperationException("not a secp256k1 secret key");
        return Address.FromPublicKey(publicKey);
    }

    /// <summary>The next transfer of a sender chosen by <paramref name="random"/> to another funded account.</summary>
    public byte[] Next(SimRandom random)
    {
        int from = random.Next(Keys.Length);
        int to = (from + 1 + random.Next(Keys.Length - 1)) % Keys.Length;
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = Simulation.ChainId,
            Nonce = _nonces[from]++,
            MaxFeePerGas = 10_000_000_000,
            MaxPriorityFeePerGas = 1_000_000_000,
            GasLimit = 21_000,
            To = AddressOf(Keys[to]),
            Value = (ulong)random.Between(1, 1_000),
        };
        TransactionSigner.Sign(tx, Keys[from]);
        return TransactionEncoder.Encode(tx);
    }
}
