using System.Buffers.Binary;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Simulation;

/// <summary>A transfer between two of the simulation's accounts (indexes into the balance table).</summary>
public readonly record struct Transfer(byte From, byte To, ulong Amount);

/// <summary>
/// The replicated application's block: RLP [height, parentHash, proposer, [[from, to, amount], ...], [evidence, ...], stateRoot].
/// The block hash is Keccak-256 of that encoding.
/// </summary>
public sealed record SimBlock(ulong Height, Hash256 ParentHash, Address Proposer, Transfer[] Transfers, DuplicateVoteEvidence[] Evidence, Hash256 StateRoot)
{
    public byte[] Encode()
    {
        var evidence = Evidence.Select(e => e.Encode()).ToArray();
        int transfersLength = Transfers.Sum(t => RlpWriter.LengthOfList(TransferPayload(t)));
        int evidenceLength = evidence.Sum(e => e.Length);
        int payload = RlpWriter.LengthOfUInt64(Height) + RlpWriter.LengthOfHash + RlpWriter.LengthOfAddress
            + RlpWriter.LengthOfList(transfersLength) + RlpWriter.LengthOfList(evidenceLength) + RlpWriter.LengthOfHash;
        byte[] buffer = new byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteUInt64(Height);
        writer.WriteHash(ParentHash);
        writer.WriteAddress(Proposer);
        writer.WriteListHeader(transfersLength);
        foreach (Transfer transfer in Transfers)
        {
            writer.WriteListHeader(TransferPayload(transfer));
            writer.WriteUInt64(transfer.From);
            writer.WriteUInt64(transfer.To);
            writer.WriteUInt64(transfer.Amount);
        }
        writer.WriteListHeader(evidenceLength);
        foreach (byte[] item in evidence) writer.WriteEncoded(item);
        writer.WriteHash(StateRoot);
        return buffer;
    }

    /// <exception cref="FormatException">Malformed encoding.</exception>
    public static SimBlock Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        RlpReader fields = reader.ReadList();
        reader.EnsureEnd();
        ulong height = fields.ReadUInt64();
        Hash256 parent = fields.ReadHash();
        Address proposer = fields.ReadAddress();
        var transfers = new List<Transfer>();
        RlpReader list = fields.ReadList();
        while (!list.IsEnd)
        {
            RlpReader item = list.ReadList();
            ulong from = item.ReadUInt64(), to = item.ReadUInt64(), amount = item.ReadUInt64();
            item.EnsureEnd();
            if (from > byte.MaxValue || to > byte.MaxValue) throw new FormatException("account index out of range");
            transfers.Add(new Transfer((byte)from, (byte)to, amount));
        }
        var evidence = new List<DuplicateVoteEvidence>();
        RlpReader evidenceList = fields.ReadList();
        while (!evidenceList.IsEnd) evidence.Add(DuplicateVoteEvidence.Decode(evidenceList.ReadEncoded()));
        Hash256 root = fields.ReadHash();
        fields.EnsureEnd();
        return new SimBlock(height, parent, proposer, transfers.ToArray(), evidence.ToArray(), root);
    }

    private static int TransferPayload(Transfer t) =>
        RlpWriter.LengthOfUInt64(t.From) + RlpWriter.LengthOfUInt64(t.To) + RlpWriter.LengthOfUInt64(t.Amount);
}

/// <summary>
/// A small deterministic application standing in for the engine's execution in the simulation: balances of a fixed
/// set of accounts, transfers that must be covered, equivocation evidence that must verify and appear once, and a
/// state root (Keccak-256 of the balances) that every node computes itself and the block commits to.
/// </summary>
public sealed class TransferApp(ulong chainId, ValidatorSet validators, ConsensusSignatureCache cache, SimRandom random) : IReplicatedApplication
{
    public const int AccountCount = 10;
    public const ulong InitialBalance = 1_000;

    private readonly ulong[] _balances = Enumerable.Repeat(InitialBalance, AccountCount).ToArray();
    private readonly HashSet<(Address, ulong, int, ConsensusMessageType)> _committedEvidence = new();

    public ulong Height { get; private set; }

    public Hash256 LastBlockHash { get; private set; }

    public Hash256 StateRoot => RootOf(_balances);

    public int CommittedEvidenceCount => _committedEvidence.Count;

    public ulong TotalBalance => _balances.Aggregate(0UL, (sum, b) => sum + b);

    public bool IsCommitted(DuplicateVoteEvidence evidence) => _committedEvidence.Contains(evidence.Slot);

    public Hash256 ComputeHash(byte[] block) => Keccak256.Compute(block);

    public byte[] BuildBlock(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence) => Build(proposer, evidence).Encode();

    public string? Validate(Hash256 hash, byte[] block)
    {
        ArgumentNullException.ThrowIfNull(block);
        try
        {
            return Check(SimBlock.Decode(block), hash, block, out _);
        }
        catch (FormatException error)
        {
            return error.Message;
        }
    }

    public CommitResult Commit(Hash256 hash, byte[] block, CommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(block);
        SimBlock decoded = SimBlock.Decode(block);
        string? invalid = Check(decoded, hash, block, out Hash256 root);
        Apply(decoded, hash);
        return new CommitResult(invalid, root, decoded.Evidence);
    }

    /// <summary>The same block claiming another state root (a byzantine proposer's edit).</summary>
    public static byte[] Corrupt(byte[] block)
    {
        SimBlock decoded = SimBlock.Decode(block);
        return (decoded with { StateRoot = Keccak256.Compute(decoded.StateRoot.Bytes) }).Encode();
    }

    /// <summary>A block on top of the current state with a few random covered transfers and the given evidence.</summary>
    public SimBlock Build(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence)
    {
        ulong[] balances = (ulong[])_balances.Clone();
        var transfers = new List<Transfer>();
        int count = random.Next(5);
        for (int i = 0; i < count; i++)
        {
            byte from = (byte)random.Next(AccountCount), to = (byte)random.Next(AccountCount);
            ulong amount = (ulong)random.Between(1, 200);
            if (balances[from] < amount) continue;
            balances[from] -= amount;
            balances[to] += amount;
            transfers.Add(new Transfer(from, to, amount));
        }
        return new SimBlock(Height + 1, LastBlockHash, proposer, transfers.ToArray(), evidence.ToArray(), RootOf(balances));
    }

    /// <summary>Applies a block without checking it (the check is <see cref="Check"/>).</summary>
    public void Apply(SimBlock block, Hash256 hash)
    {
        for (int i = 0; i < block.Transfers.Length; i++)
        {
            Transfer t = block.Transfers[i];
            _balances[t.From] -= t.Amount;
            _balances[t.To] += t.Amount;
        }
        foreach (DuplicateVoteEvidence evidence in block.Evidence) _committedEvidence.Add(evidence.Slot);
        Height = block.Height;
        LastBlockHash = hash;
    }

    /// <summary>Null when the block is valid on the current state; otherwise why not.</summary>
    public string? Check(SimBlock block, Hash256 hash, byte[] encoded, out Hash256 root)
    {
        root = default;
        if (Keccak256.Compute(encoded) != hash) return "block does not hash to the proposed hash";
        if (block.Height != Height + 1) return $"height {block.Height}, expected {Height + 1}";
        if (block.ParentHash != LastBlockHash) return "wrong parent";
        var slots = new HashSet<(Address, ulong, int, ConsensusMessageType)>();
        foreach (DuplicateVoteEvidence evidence in block.Evidence)
        {
            if (evidence.Verify(chainId, validators, cache) != EvidenceError.None) return "evidence does not verify";
            if (evidence.Height > block.Height || _committedEvidence.Contains(evidence.Slot) || !slots.Add(evidence.Slot)) return "evidence already included";
        }
        ulong[] balances = (ulong[])_balances.Clone();
        foreach (Transfer t in block.Transfers)
        {
            if (t.From >= AccountCount || t.To >= AccountCount) return "unknown account";
            if (balances[t.From] < t.Amount) return "transfer not covered";
            balances[t.From] -= t.Amount;
            balances[t.To] += t.Amount;
        }
        root = RootOf(balances);
        return root == block.StateRoot ? null : "state root mismatch";
    }

    private static Hash256 RootOf(ulong[] balances)
    {
        Span<byte> bytes = stackalloc byte[AccountCount * sizeof(ulong)];
        for (int i = 0; i < balances.Length; i++) BinaryPrimitives.WriteUInt64BigEndian(bytes[(i * 8)..], balances[i]);
        return Keccak256.Compute(bytes);
    }
}

/// <summary>A byzantine proposer's application: now and then its blocks commit to a wrong state root (<paramref name="corrupt"/> edits the encoding).</summary>
public sealed class CorruptingApplication(IReplicatedApplication inner, SimRandom random, double probability, Func<byte[], byte[]> corrupt) : IReplicatedApplication
{
    public ulong Height => inner.Height;

    public Hash256 StateRoot => inner.StateRoot;

    public Hash256 ComputeHash(byte[] block) => inner.ComputeHash(block);

    public byte[] BuildBlock(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence)
    {
        byte[] block = inner.BuildBlock(proposer, evidence);
        return random.Chance(probability) ? corrupt(block) : block;
    }

    public string? Validate(Hash256 hash, byte[] block) => inner.Validate(hash, block);

    public CommitResult Commit(Hash256 hash, byte[] block, CommitCertificate certificate) => inner.Commit(hash, block, certificate);

    public bool IsCommitted(DuplicateVoteEvidence evidence) => inner.IsCommitted(evidence);
}
