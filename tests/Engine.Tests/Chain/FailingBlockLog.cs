using NexusFast.Engine.Storage;

namespace NexusFast.Engine.Tests.Chain;

/// <summary>A real block log whose next append, or its commit, can be made to fail, as a full or broken disk would.</summary>
internal sealed class FailingBlockLog(IBlockLog inner) : IBlockLog
{
    /// <summary>The next append throws before anything reaches the log (no space left).</summary>
    public bool FailNextAppend { get; set; }

    /// <summary>
    /// The next append is accepted but its commit reports failure, as a device write error would: the error comes out
    /// of <see cref="PendingAppend.WaitCommitted"/>, after the caller did its work beside the commit.
    /// </summary>
    public bool FailNextCommit { get; set; }

    public PendingAppend BeginAppend(ReadOnlySpan<byte> record)
    {
        if (FailNextAppend)
        {
            FailNextAppend = false;
            throw new IOException("injected block log failure (no space left on device)");
        }
        PendingAppend pending = inner.BeginAppend(record);
        if (!FailNextCommit) return pending;
        FailNextCommit = false;
        pending.WaitCommitted();
        return new PendingAppend(pending.Address, Task.FromException(new IOException("injected commit failure (device write error)")));
    }

    public byte[] Read(long address) => inner.Read(address);

    public IEnumerable<(long Address, byte[] Record)> Scan() => inner.Scan();

    public void Dispose() => inner.Dispose();
}
