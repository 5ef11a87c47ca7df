using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State;

/// <summary>An account as a block overlay holds it: as the block found it, and as the block leaves it.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct AccountSlot
{
    public Account Original;
    public Account Current;

    /// <summary>The account's tree key, SHA-256(address), when known (stored with the account, computed for new ones).</summary>
    public Hash256 Key;
    public bool HasKey;

    /// <summary>Some storage slot of this account changed in the block (its storage root must be recomputed).</summary>
    public bool StorageDirty;
}
