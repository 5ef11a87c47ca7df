using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Persistence;

/// <summary>What a FASTER record holds; the first byte of every <see cref="StateKey"/>.</summary>
internal enum RecordKind : byte
{
    /// <summary>One record: format, block number and state root of the data around it (written by a checkpoint).</summary>
    Meta = 1,

    /// <summary>Address -> account and its tree key.</summary>
    Account = 2,

    /// <summary>(address, slot) -> value and the slot's tree key.</summary>
    Storage = 3,

    /// <summary>(tree owner, position) -> tree node.</summary>
    Node = 4,

    /// <summary>(tree owner, tree key) -> the address or slot it hashes (to show a neighbouring leaf in a proof).</summary>
    Preimage = 5,

    /// <summary>(code hash, chunk index) -> 128 bytes of contract code; chunk 0 also holds the code's length.</summary>
    Code = 6,
}

/// <summary>
/// The FASTER key: a kind and two 32-byte words, blittable, 72 bytes.
/// <code>
/// Meta      A = 0                         B = 0
/// Account   A = address (20 bytes, then 0) B = 0
/// Storage   A = address                   B = slot
/// Node      A = owner                     B = position (TreePath)
/// Preimage  A = owner                     B = tree key
/// Code      A = code hash                 B = chunk index (big-endian, in the last 8 bytes)
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct StateKey
{
    public ulong Kind;
    public Hash256 A;
    public Hash256 B;

    public static StateKey Meta() => new() { Kind = (ulong)RecordKind.Meta };

    public static StateKey Account(in Address address) => new() { Kind = (ulong)RecordKind.Account, A = Widen(address) };

    public static StateKey Storage(in Address address, in Hash256 slot) =>
        new() { Kind = (ulong)RecordKind.Storage, A = Widen(address), B = slot };

    public static StateKey Node(in Hash256 owner, in Hash256 path) => new() { Kind = (ulong)RecordKind.Node, A = owner, B = path };

    public static StateKey Preimage(in Hash256 owner, in Hash256 key) => new() { Kind = (ulong)RecordKind.Preimage, A = owner, B = key };

    public static StateKey Code(in Hash256 codeHash, int chunk) =>
        new() { Kind = (ulong)RecordKind.Code, A = codeHash, B = Hash256.FromUInt256(new UInt256((ulong)chunk)) };

    public static Hash256 Widen(in Address address)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Size];
        bytes.Clear();
        address.CopyTo(bytes);
        return new Hash256(bytes);
    }

    public static Address Narrow(in Hash256 word) => new(word.Bytes[..Address.Size]);
}

/// <summary>
/// The FASTER value: four 32-byte words and one 64-bit word, blittable, 136 bytes (the largest record, an account,
/// sets the size).
/// <code>
/// Account   X = nonce  W0 = balance (big-endian)  W1 = code hash  W2 = storage root  W3 = account key
/// Storage   W0 = value                                                                 W3 = storage key
/// Node      X = kind   W0 = hash  W1 = leaf key
/// Preimage  W0 = address (20 bytes, then 0) or slot
/// Meta      X = format W0 = block number (big-endian)  W1 = state root
/// Code      X = code length (chunk 0 only)  W0..W3 = 128 bytes of code, zero-padded in the last chunk
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct StateValue
{
    public ulong X;
    public Hash256 W0;
    public Hash256 W1;
    public Hash256 W2;
    public Hash256 W3;
}
