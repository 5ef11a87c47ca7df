using System.Text;
using System.Buffers.Binary;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Consensus;

/// <summary>An in-memory signer state store: what a process keeps between calls, here without the disk.</summary>
internal sealed class MemorySignerStateStore : ISignerStateStore
{
    public SignerState? State { get; set; }

    public int SaveCount { get; private set; }

    public SignerState? Load() => State;

    public void Save(SignerState state)
    {
        State = state;
        SaveCount++;
    }
}

/// <summary>
/// Validator keys derived from their index, the set they form, and helpers that sign votes and proposals with them,
/// so a test can play every other validator against one machine.
/// </summary>
internal sealed class ConsensusKit
{
    public const ulong ChainId = 7777;

    public static readonly TimeoutConfig Timeouts = new(300, 100, 200, 50, 200, 50);

    public ConsensusKit(params long[] powers)
    {
        Secrets = new byte[powers.Length][];
        Addresses = new Address[powers.Length];
        var validators = new Validator[powers.Length];
        for (int i = 0; i < powers.Length; i++)
        {
            Secrets[i] = Keccak256.Compute(Encoding.ASCII.GetBytes($"nexusfast test validator {i}")).ToArray();
            Addresses[i] = ConsensusSigning.AddressOf(Secrets[i]);
            validators[i] = new Validator(Addresses[i], powers[i]);
        }
        Set = ValidatorSet.Create(validators);
    }

    public byte[][] Secrets { get; }

    public Address[] Addresses { get; }

    public ValidatorSet Set { get; }

    public ConsensusOptions Options => new(ChainId, Timeouts);

    public int IndexOf(Address address) => Array.IndexOf(Addresses, address);

    public ConsensusMachine Machine(int index, ISignerStateStore? store = null, ulong height = 1, ILockedValueStore? lockStore = null) =>
        new(Options, Set.AdvanceHeights(height - 1), height, new GuardedSigner(ChainId, Secrets[index], store ?? new MemorySignerStateStore()), lockStore);

    public Vote Vote(int index, ConsensusMessageType type, ulong height, int round, Hash256 block)
    {
        var payload = new SigningPayload(type, height, round, -1, block);
        return new Vote(type, height, round, block, Addresses[index], ConsensusSigning.Sign(payload.ComputeSigningHash(ChainId), Secrets[index]));
    }

    public Proposal Proposal(int index, ulong height, int round, int polRound, byte[] block)
    {
        Hash256 hash = BlockHash(block);
        var payload = new SigningPayload(ConsensusMessageType.Proposal, height, round, polRound, hash);
        return new Proposal(height, round, polRound, hash, block, Addresses[index], ConsensusSigning.Sign(payload.ComputeSigningHash(ChainId), Secrets[index]));
    }

    public static byte[] Block(string text) => Encoding.ASCII.GetBytes(text);

    public static Hash256 BlockHash(byte[] block) => Keccak256.Compute(block);
}

/// <summary>Output filters for assertions.</summary>
internal static class OutputExtensions
{
    public static List<Vote> Votes(this List<ConsensusOutput> outputs, ConsensusMessageType type) =>
        outputs.OfType<BroadcastVote>().Select(o => o.Vote).Where(v => v.Type == type).ToList();

    /// <summary>Answers every validation request: valid unless the block's text starts with "bad".</summary>
    public static List<ConsensusOutput> AnswerValidations(this ConsensusMachine machine, List<ConsensusOutput> outputs)
    {
        var all = new List<ConsensusOutput>(outputs);
        var pending = new Queue<ConsensusOutput>(outputs);
        while (pending.Count > 0)
        {
            if (pending.Dequeue() is ValidateBlock request)
            {
                bool valid = ConsensusKit.BlockHash(request.Block) == request.BlockHash && !Encoding.ASCII.GetString(request.Block).StartsWith("bad", StringComparison.Ordinal);
                machine.OnBlockValidated(request.Height, request.BlockHash, valid);
                foreach (ConsensusOutput output in machine.TakeOutputs())
                {
                    all.Add(output);
                    pending.Enqueue(output);
                }
            }
        }
        return all;
    }

    /// <summary>Feeds a message and answers any validation it asks for; returns everything it produced.</summary>
    public static List<ConsensusOutput> Feed(this ConsensusMachine machine, object message)
    {
        switch (message)
        {
            case Vote vote: machine.OnVote(vote); break;
            case Proposal proposal: machine.OnProposal(proposal); break;
            default: throw new ArgumentException("not a consensus message", nameof(message));
        }
        return machine.AnswerValidations(machine.TakeOutputs());
    }
}

/// <summary>An in-memory locked value store, as <see cref="MemorySignerStateStore"/>.</summary>
internal sealed class MemoryLockedValueStore : ILockedValueStore
{
    public LockedValue? Value { get; set; }

    public LockedValue? Load() => Value;

    public void Save(LockedValue value) => Value = value;
}

/// <summary>Blocks are 8 bytes: the height. Enough to check linkage and order.</summary>
internal sealed class CounterApp : IReplicatedApplication
{
    public ulong Height { get; private set; }

    public Hash256 StateRoot => Keccak256.Compute(BitConverter.GetBytes(Height));

    public Hash256 ComputeHash(byte[] block) => Keccak256.Compute(block);

    public byte[] BuildBlock(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence)
    {
        byte[] block = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(block, Height + 1);
        return block;
    }

    public string? Validate(Hash256 hash, byte[] block) =>
        block.Length == 8 && BinaryPrimitives.ReadUInt64BigEndian(block) == Height + 1 && ComputeHash(block) == hash ? null : "not the next block";

    public CommitResult Commit(Hash256 hash, byte[] block, NexusFast.Engine.Ledger.CommitCertificate certificate)
    {
        string? invalid = Validate(hash, block);
        Height++;
        return new CommitResult(invalid, StateRoot, []);
    }

    public bool IsCommitted(DuplicateVoteEvidence evidence) => false;
}

internal sealed class MemoryBlocks : ICommittedBlockStore
{
    /// <summary>Written by the host's thread; other threads read <see cref="CountForReaders"/> and the list only after the host stops.</summary>
    public int CountForReaders;

    public List<StoredBlock> Blocks { get; } = new();

    public ulong Height => (ulong)Blocks.Count;

    public StoredBlock Get(ulong height) => Blocks[(int)height - 1];

    public void Append(StoredBlock block)
    {
        Blocks.Add(block);
        Volatile.Write(ref CountForReaders, Blocks.Count);
    }
}

