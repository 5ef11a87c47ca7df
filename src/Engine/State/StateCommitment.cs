using System.Security.Cryptography;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State;

/// <summary>
/// The hashes that define the state root: a binary sparse Merkle tree over 256-bit keys with compressed paths,
/// SHA-256 throughout.
/// <code>
/// account key   = SHA-256(address)                                    20-byte input
/// storage key   = SHA-256(slot)                                       32-byte input, in the account's own tree
/// account leaf  = SHA-256(0x01 || key || account encoding)             137-byte input (encoding: Account.WriteTo)
/// storage leaf  = SHA-256(0x02 || key || value)                         65-byte input
/// internal node = SHA-256(left || right)                                exactly 64 bytes
/// empty subtree = 32 zero bytes                                         (not hashed)
///
/// node(S, depth) over the keys S below a position:
///   S empty       -> empty subtree
///   S = {k}       -> the leaf of k (a leaf sits where its key parts from every other key; no single-key chains)
///   otherwise     -> internal(node(keys of S with bit[depth] = 0), node(keys with bit[depth] = 1))
/// state root = node(all account keys, 0); an account's StorageRoot = node(its storage keys, 0).
/// </code>
/// Domain separation is by input length: internal nodes hash exactly 64 bytes, leaves 137 or 65, keys 20 or 32, so no
/// input is both a leaf and an internal node, and mistaking one for the other needs a SHA-256 collision; the tag byte
/// also tells account leaves from storage leaves. Keeping internal nodes at exactly 64 bytes (no prefix byte) is what
/// lets the SIMD engine hash every tree level as a batch of one-block messages plus the constant padding block.
/// A position's depth is implied by where it sits, so internal nodes need not commit to it; a proof verifier checks
/// that a leaf's key matches the path that led to it.
/// Bit 0 of a key is the most significant bit of its first byte. Storage values of zero are absent (Ethereum).
/// </summary>
public static class StateCommitment
{
    public const byte AccountLeafTag = 0x01;
    public const byte StorageLeafTag = 0x02;
    public const int AccountLeafInputSize = 1 + Hash256.Size + Account.EncodedSize;
    public const int StorageLeafInputSize = 1 + Hash256.Size + Hash256.Size;

    public static Hash256 AccountKey(in Address address)
    {
        Span<byte> digest = stackalloc byte[Hash256.Size];
        SHA256.HashData(address.Bytes, digest);
        return new Hash256(digest);
    }

    public static Hash256 StorageKey(in Hash256 slot)
    {
        Span<byte> digest = stackalloc byte[Hash256.Size];
        SHA256.HashData(slot.Bytes, digest);
        return new Hash256(digest);
    }

    public static Hash256 AccountLeaf(in Hash256 key, in Account account)
    {
        Span<byte> input = stackalloc byte[AccountLeafInputSize];
        WriteAccountLeafInput(input, key, account);
        return Sha256(input);
    }

    public static Hash256 StorageLeaf(in Hash256 key, in Hash256 value)
    {
        Span<byte> input = stackalloc byte[StorageLeafInputSize];
        WriteStorageLeafInput(input, key, value);
        return Sha256(input);
    }

    public static Hash256 Internal(in Hash256 left, in Hash256 right)
    {
        Span<byte> input = stackalloc byte[2 * Hash256.Size];
        left.CopyTo(input);
        right.CopyTo(input[Hash256.Size..]);
        return Sha256(input);
    }

    public static void WriteAccountLeafInput(Span<byte> destination, in Hash256 key, in Account account)
    {
        destination[0] = AccountLeafTag;
        key.CopyTo(destination.Slice(1, Hash256.Size));
        account.WriteTo(destination.Slice(1 + Hash256.Size, Account.EncodedSize));
    }

    public static void WriteStorageLeafInput(Span<byte> destination, in Hash256 key, in Hash256 value)
    {
        destination[0] = StorageLeafTag;
        key.CopyTo(destination.Slice(1, Hash256.Size));
        value.CopyTo(destination.Slice(1 + Hash256.Size, Hash256.Size));
    }

    private static Hash256 Sha256(ReadOnlySpan<byte> input)
    {
        Span<byte> digest = stackalloc byte[Hash256.Size];
        SHA256.HashData(input, digest);
        return new Hash256(digest);
    }
}
