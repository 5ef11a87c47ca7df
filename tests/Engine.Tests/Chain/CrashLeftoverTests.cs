using NexusFast.Engine.Chain;
using NexusFast.Engine.CrashHost;
using NexusFast.Engine.Ledger;

namespace NexusFast.Engine.Tests.Chain;

/// <summary>
/// Data directories exactly as SIGKILL left them in <see cref="CrashSafetyTests"/> runs, rebuilt deterministically: each
/// test reproduces one leftover state the random kills found, so that its fix stays fixed without waiting for a kill to
/// land in the same few milliseconds again.
/// </summary>
public sealed class CrashLeftoverTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-leftover-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private string LogCheckpoints => Path.Combine(_directory, "chain", "state", "checkpoints", "cpr-checkpoints");

    private string IndexCheckpoints => Path.Combine(_directory, "chain", "state", "checkpoints", "index-checkpoints");

    private ChainOptions Options => CrashWorkload.Options(Path.Combine(_directory, "chain"));

    /// <summary>
    /// SIGKILL inside a new chain's genesis state checkpoint (about one kill in 40 during a new chain's start-up), after
    /// FASTER wrote the index checkpoint and the log snapshot but before the log checkpoint's metadata: the token's
    /// info.dat.0 exists and is empty. The block log already holds genesis and no state checkpoint ever completed, so
    /// the chain must reopen from genesis (it refused to open: "Unable to find valid HybridLog token").
    /// </summary>
    [Fact]
    public void A_kill_inside_the_first_state_checkpoint_leaves_a_chain_that_reopens_from_genesis()
    {
        Block genesis;
        using (Blockchain chain = Blockchain.Open(Options)) genesis = chain.Head;
        string info = Path.Combine(Assert.Single(Directory.GetDirectories(LogCheckpoints)), "info.dat.0");
        Assert.True(File.Exists(info));
        File.WriteAllBytes(info, []);
        // Nothing written after FASTER's log metadata existed yet either: the files beside the token directories, and
        // the state's checkpoint manifest (state/CHECKPOINT), which is written only once FASTER's checkpoint completed.
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(LogCheckpoints)!)) File.Delete(file);
        File.Delete(Path.Combine(_directory, "chain", "state", "CHECKPOINT"));

        Block next;
        using (Blockchain reopened = Blockchain.Open(Options))
        {
            Assert.Equal(genesis.Hash, reopened.Head.Hash);
            Assert.Equal(genesis.Header.StateRoot, reopened.State.StateRoot);
            Assert.Null(reopened.RecoveredCheckpoint);
            next = CrashWorkload.CommitNextBlock(reopened, 1);
        }
        // The genesis checkpoint taken on reopening is the one recovered from now on; the torn one plays no part.
        using Blockchain again = Blockchain.Open(Options);
        Assert.Equal(0UL, again.RecoveredCheckpoint);
        Assert.Equal(next.Hash, again.Head.Hash);
        Assert.Equal(next.Header.StateRoot, again.State.StateRoot);
    }

    /// <summary>
    /// SIGKILL while FASTER removes the outdated state checkpoint after a new one completed (about one kill in 90 on a
    /// running chain): its recursive delete had removed the old token's snapshot.dat.0 but not yet its metadata or
    /// index checkpoint. FASTER lists checkpoint tokens newest directory write time first, and the deletion made the
    /// old token's directory the newest, so recovery picked the old, now snapshot-less checkpoint and came back with an
    /// empty state ("the checkpoint has no state metadata record"). It must recover the new checkpoint instead.
    /// </summary>
    [Fact]
    public void A_kill_while_an_outdated_state_checkpoint_is_deleted_leaves_a_chain_that_recovers_the_newer_one()
    {
        using (Blockchain chain = Blockchain.Open(Options))
        {
            for (ulong n = 1; n <= CrashWorkload.CheckpointIntervalBlocks; n++) CrashWorkload.CommitNextBlock(chain, 1);
        }
        string outdated = Path.GetFileName(Assert.Single(Directory.GetDirectories(LogCheckpoints)));
        string saved = Path.Combine(_directory, "saved");
        CopyFiles(Path.Combine(LogCheckpoints, outdated), Path.Combine(saved, "log"));
        CopyFiles(Path.Combine(IndexCheckpoints, outdated), Path.Combine(saved, "index"));

        Block head;
        using (Blockchain chain = Blockchain.Open(Options))
        {
            for (ulong n = 1; n <= CrashWorkload.CheckpointIntervalBlocks; n++) CrashWorkload.CommitNextBlock(chain, 1);
            head = chain.Head;
        }
        Assert.DoesNotContain(Path.Combine(LogCheckpoints, outdated), Directory.GetDirectories(LogCheckpoints));

        // What the interrupted removal leaves: the outdated token back in place, its snapshot already deleted.
        CopyFiles(Path.Combine(saved, "log"), Path.Combine(LogCheckpoints, outdated));
        CopyFiles(Path.Combine(saved, "index"), Path.Combine(IndexCheckpoints, outdated));
        File.Delete(Path.Combine(LogCheckpoints, outdated, "snapshot.dat.0"));

        using Blockchain reopened = Blockchain.Open(Options);
        Assert.Equal(head.Number, reopened.RecoveredCheckpoint);
        Assert.Equal(head.Hash, reopened.Head.Hash);
        Assert.Equal(head.Header.StateRoot, reopened.State.StateRoot);
    }

    private static void CopyFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }
}
