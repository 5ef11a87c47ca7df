using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State;

/// <summary>A storage value as a block overlay holds it; zero means absent.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct StorageSlot
{
    public Hash256 Original;
    public Hash256 Current;

    /// <summary>The slot's tree key, SHA-256(slot), when known.</summary>
    public Hash256 Key;
    public bool HasKey;
}
