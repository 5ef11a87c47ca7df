using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State;

/// <summary>
/// An account as the state stores it. <see cref="StorageRoot"/> is owned by the state: it is the root of the
/// account's own storage tree and is recomputed when a block commits (writes through an overlay ignore it).
/// </summary>
/// <remarks>
/// "No code" is <see cref="EmptyCodeHash"/> (Keccak-256 of the empty string, as Ethereum's eth_getProof reports it),
/// never the zero hash: <c>default(Account)</c> is not a valid account. An account that is empty in the EIP-161
/// sense (nonce 0, balance 0, no code) and has no storage does not exist: writing it deletes the account.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public readonly struct Account : IEquatable<Account>
{
    /// <summary>Bytes of <see cref="WriteTo"/>: nonce (8, big-endian), balance (32, big-endian), code hash, storage root.</summary>
    public const int EncodedSize = 8 + 32 + 32 + 32;

    /// <summary>Keccak-256 of the empty byte string.</summary>
    public static readonly Hash256 EmptyCodeHash = Hash256.Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

    /// <summary>The root of an empty sparse Merkle tree (see <see cref="StateCommitment"/>).</summary>
    public static readonly Hash256 EmptyStorageRoot = Hash256.Zero;

    /// <summary>What an absent account reads as.</summary>
    public static readonly Account Empty = new(0, UInt256.Zero, EmptyCodeHash, EmptyStorageRoot);

    public Account(ulong nonce, UInt256 balance, Hash256 codeHash, Hash256 storageRoot)
    {
        Nonce = nonce;
        Balance = balance;
        CodeHash = codeHash;
        StorageRoot = storageRoot;
    }

    /// <summary>An externally owned account: no code, no storage.</summary>
    public Account(ulong nonce, UInt256 balance) : this(nonce, balance, EmptyCodeHash, EmptyStorageRoot)
    {
    }

    public ulong Nonce { get; }

    public UInt256 Balance { get; }

    public Hash256 CodeHash { get; }

    public Hash256 StorageRoot { get; }

    public bool HasCode => CodeHash != EmptyCodeHash;

    /// <summary>Empty in the EIP-161 sense and without storage: such an account is absent from the state.</summary>
    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == EmptyCodeHash && StorageRoot.IsZero;

    public Account WithNonce(ulong nonce) => new(nonce, Balance, CodeHash, StorageRoot);

    public Account WithBalance(in UInt256 balance) => new(Nonce, balance, CodeHash, StorageRoot);

    public Account WithCodeHash(in Hash256 codeHash) => new(Nonce, Balance, codeHash, StorageRoot);

    public Account WithStorageRoot(in Hash256 storageRoot) => new(Nonce, Balance, CodeHash, storageRoot);

    /// <summary>The fixed 104-byte form hashed into the account's tree leaf (see <see cref="StateCommitment"/>).</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < EncodedSize) ThrowShort(destination.Length);
        BinaryPrimitives.WriteUInt64BigEndian(destination, Nonce);
        Balance.WriteBigEndian(destination.Slice(8, 32));
        CodeHash.CopyTo(destination.Slice(40, 32));
        StorageRoot.CopyTo(destination.Slice(72, 32));
    }

    public static Account ReadFrom(ReadOnlySpan<byte> source)
    {
        if (source.Length < EncodedSize) ThrowShort(source.Length);
        return new Account(
            BinaryPrimitives.ReadUInt64BigEndian(source),
            UInt256.FromBigEndian32(source.Slice(8, 32)),
            new Hash256(source.Slice(40, 32)),
            new Hash256(source.Slice(72, 32)));
    }

    public bool Equals(Account other) =>
        Nonce == other.Nonce && Balance.Equals(other.Balance) && CodeHash == other.CodeHash && StorageRoot == other.StorageRoot;

    public override bool Equals(object? obj) => obj is Account other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Nonce, Balance, CodeHash);

    public override string ToString() => $"nonce={Nonce} balance={Balance} code={CodeHash} storage={StorageRoot}";

    public static bool operator ==(Account left, Account right) => left.Equals(right);

    public static bool operator !=(Account left, Account right) => !left.Equals(right);

    [DoesNotReturn]
    private static void ThrowShort(int length) =>
        throw new ArgumentException($"an encoded account is {EncodedSize} bytes, the span has {length}");
}
