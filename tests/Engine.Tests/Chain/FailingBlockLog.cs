using NexusFast.Engine.Storage;

namespace NexusFast.Engine.Tests.Chain;

/// <summary>A real block log whose next append can be made to fail, as a full or broken disk would.</summary>
internal sealed class FailingBlockLog(IBlockLog inner) : IBlockLog
{
    public bool FailNextAppend { get; set; }

    public long Append(ReadOnlySpan<byte> record)
    {
        if (FailNextAppend)
        {
            FailNextAppend = false;
            throw new IOException("injected block log failure (no space left on device)");
        }
        return inner.Append(record);
    }

    public byte[] Read(long address) => inner.Read(address);

    public IEnumerable<(long Address, byte[] Record)> Scan() => inner.Scan();

    public void Dispose() => inner.Dispose();
}
