using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State;

/// <summary>One storage slot of one account (an overlay map key).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal readonly struct StorageCell(Address address, Hash256 slot) : IEquatable<StorageCell>
{
    public readonly Hash256 Slot = slot;
    public readonly Address Address = address;

    public bool Equals(StorageCell other) => Slot == other.Slot && Address == other.Address;

    public override bool Equals(object? obj) => obj is StorageCell other && Equals(other);

    public override int GetHashCode()
    {
        // Slots are often small integers (0, 1, 2...) and addresses random: fold both ends of the slot with the address.
        ReadOnlySpan<ulong> slot = MemoryMarshal.Cast<byte, ulong>(Slot.Bytes);
        return HashCode.Combine(slot[0] ^ slot[3], slot[1] ^ slot[2], Address.GetHashCode());
    }
}
