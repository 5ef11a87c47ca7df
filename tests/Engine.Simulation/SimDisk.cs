using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;

namespace NexusFast.Engine.Simulation;

/// <summary>Thrown inside a node's call stack to model the process dying right there; the node object is then discarded.</summary>
public sealed class SimulatedCrashException() : Exception("simulated crash");

/// <summary>
/// What survives a node's crash: its signer state file (replaced atomically, as <see cref="FileSignerStateStore"/> does)
/// and its block store. Everything else a node holds is memory and is lost. <see cref="CrashAfterNextSignerSave"/>
/// arms the nastiest moment: the vote is durable, the process dies before sending it.
/// </summary>
public sealed class SimDisk
{
    public SignerState? SignerStateFile { get; set; }

    public byte[]? LockedValueFile { get; set; }

    public List<StoredBlock> Blocks { get; } = new();

    public bool CrashAfterNextSignerSave { get; set; }

    public int SignerSaveCount { get; set; }
}

/// <summary>The signer state store on a simulated disk; atomic like the file store (a write lands whole or not at all).</summary>
public sealed class SimSignerStateStore(SimDisk disk) : ISignerStateStore
{
    public SignerState? Load() => disk.SignerStateFile is { } state ? SignerState.Decode(state.Encode()) : null;

    public void Save(SignerState state)
    {
        // Through the codec, so the bytes a real file would hold are what a restart reads.
        disk.SignerStateFile = SignerState.Decode(state.Encode());
        disk.SignerSaveCount++;
        if (disk.CrashAfterNextSignerSave)
        {
            disk.CrashAfterNextSignerSave = false;
            throw new SimulatedCrashException();
        }
    }
}

/// <summary>The locked value on a simulated disk, through the codec like a real file.</summary>
public sealed class SimLockedValueStore(SimDisk disk) : ILockedValueStore
{
    public LockedValue? Load() => disk.LockedValueFile is { } bytes ? LockedValue.Decode(bytes) : null;

    public void Save(LockedValue value) => disk.LockedValueFile = value.Encode();
}

/// <summary>The block store on a simulated disk (an append lands whole).</summary>
public sealed class SimBlockStore(SimDisk disk) : ICommittedBlockStore
{
    public ulong Height => (ulong)disk.Blocks.Count;

    public StoredBlock Get(ulong height) => disk.Blocks[checked((int)height - 1)];

    public void Append(StoredBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Height != Height + 1) throw new InvalidOperationException($"block {block.Height} appended after {Height}");
        disk.Blocks.Add(block);
    }
}
