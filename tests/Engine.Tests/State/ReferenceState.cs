using System.Buffers.Binary;
using System.Security.Cryptography;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.State;

/// <summary>
/// An independent model of the state and its root: plain dictionaries, and the sparse Merkle root computed by a
/// recursive split over the full sorted key set, straight from the definition (no positions, no caches, no batches).
/// </summary>
internal sealed class ReferenceState
{
    public static readonly Hash256 EmptyCode = Hash256.Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

    public Dictionary<Address, (ulong Nonce, UInt256 Balance, Hash256 CodeHash)> Accounts { get; } = new();

    public Dictionary<Address, Dictionary<Hash256, Hash256>> Storage { get; } = new();

    public ReferenceState Clone()
    {
        var copy = new ReferenceState();
        foreach (var pair in Accounts) copy.Accounts[pair.Key] = pair.Value;
        foreach (var pair in Storage) copy.Storage[pair.Key] = new Dictionary<Hash256, Hash256>(pair.Value);
        return copy;
    }

    public void SetAccount(Address address, ulong nonce, UInt256 balance, Hash256 codeHash) => Accounts[address] = (nonce, balance, codeHash);

    public void SetStorage(Address address, Hash256 slot, Hash256 value)
    {
        if (!Storage.TryGetValue(address, out var slots)) Storage[address] = slots = new Dictionary<Hash256, Hash256>();
        slots[slot] = value;
    }

    public Hash256 GetStorage(Address address, Hash256 slot) =>
        Storage.TryGetValue(address, out var slots) && slots.TryGetValue(slot, out Hash256 value) ? value : default;

    public Hash256 StorageRoot(Address address)
    {
        var leaves = new List<(Hash256 Key, Hash256 Leaf)>();
        if (Storage.TryGetValue(address, out var slots))
        {
            foreach (var (slot, value) in slots)
            {
                if (value.IsZero) continue;
                Hash256 key = Sha256(slot.ToArray());
                leaves.Add((key, Sha256([0x02, .. key.ToArray(), .. value.ToArray()])));
            }
        }
        return TreeRoot(leaves);
    }

    /// <summary>The account as the state would report it, or null when it does not exist.</summary>
    public (ulong Nonce, UInt256 Balance, Hash256 CodeHash, Hash256 StorageRoot)? Account(Address address)
    {
        var (nonce, balance, code) = Accounts.TryGetValue(address, out var a) ? a : (0UL, UInt256.Zero, EmptyCode);
        Hash256 storageRoot = StorageRoot(address);
        if (nonce == 0 && balance.IsZero && code == EmptyCode && storageRoot.IsZero) return null;
        return (nonce, balance, code, storageRoot);
    }

    public Hash256 Root()
    {
        var leaves = new List<(Hash256 Key, Hash256 Leaf)>();
        foreach (Address address in Accounts.Keys.Union(Storage.Keys))
        {
            if (Account(address) is not { } account) continue;
            Hash256 key = Sha256(address.ToArray());
            byte[] input = new byte[1 + 32 + 8 + 32 + 32 + 32];
            input[0] = 0x01;
            key.CopyTo(input.AsSpan(1));
            BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(33), account.Nonce);
            account.Balance.WriteBigEndian(input.AsSpan(41, 32));
            account.CodeHash.CopyTo(input.AsSpan(73));
            account.StorageRoot.CopyTo(input.AsSpan(105));
            leaves.Add((key, Sha256(input)));
        }
        return TreeRoot(leaves);
    }

    /// <summary>node(S) = zero if S is empty, the leaf if |S| = 1, else SHA-256(node(S with next bit 0) || node(S with bit 1)).</summary>
    public static Hash256 TreeRoot(List<(Hash256 Key, Hash256 Leaf)> leaves)
    {
        var sorted = leaves.OrderBy(l => Convert.ToHexString(l.Key.ToArray())).ToList();
        return Node(sorted, 0);
    }

    private static Hash256 Node(List<(Hash256 Key, Hash256 Leaf)> items, int depth)
    {
        if (items.Count == 0) return default;
        if (items.Count == 1) return items[0].Leaf;
        var left = items.Where(i => Bit(i.Key, depth) == 0).ToList();
        var right = items.Where(i => Bit(i.Key, depth) == 1).ToList();
        return Sha256([.. Node(left, depth + 1).ToArray(), .. Node(right, depth + 1).ToArray()]);
    }

    public static int Bit(Hash256 key, int index) => (key.ToArray()[index / 8] >> (7 - index % 8)) & 1;

    public static Hash256 Sha256(byte[] input) => new(SHA256.HashData(input));
}
