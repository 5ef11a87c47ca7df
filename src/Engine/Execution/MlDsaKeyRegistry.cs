using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Execution;

/// <summary>
/// The chain's record of ML-DSA public keys, so that an account's later transactions can carry the 32-byte key hash
/// instead of the 1,952-byte key. It is plain storage of a system account, hence part of the state root and of state
/// proofs like any other storage, and replayed and checkpointed with it.
/// </summary>
/// <remarks>
/// Layout, for key hash h (Keccak-256 of the key): slot h holds <see cref="RegisteredMarker"/> (1); slot
/// Keccak-256(h || i), i = 0..60 as one byte, holds the key's bytes 32i..32i+31. Storage reads zero where nothing is
/// written, so a key word that happens to be zero reads back right; the marker says whether the key is there at all.
/// The account <see cref="Address"/> is the last 20 bytes of Keccak-256 of a fixed string: no one has a key for it, so
/// no transaction can send from it, and nothing but the executor writes its storage.
/// </remarks>
public static class MlDsaKeyRegistry
{
    public static readonly Address Address = DeriveAddress();

    /// <summary>Value of the marker slot of a registered key (1, as a big-endian 256-bit word).</summary>
    public static readonly Hash256 RegisteredMarker = Hash256.FromUInt256(UInt256.One);

    /// <summary>Slot of word <paramref name="index"/> (0..60) of the key with hash <paramref name="keyHash"/>.</summary>
    public static Hash256 WordSlot(in Hash256 keyHash, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MlDsaTransactions.PublicKeyWords);
        Span<byte> preimage = stackalloc byte[Hash256.Size + 1];
        keyHash.CopyTo(preimage);
        preimage[Hash256.Size] = (byte)index;
        return Keccak256.Compute(preimage);
    }

    public static bool IsRegistered<TState>(TState state, in Hash256 keyHash) where TState : IExecutionState =>
        state.GetStorage(Address, keyHash) == RegisteredMarker;

    /// <summary>Records <paramref name="publicKey"/> under its hash (62 slot writes); nothing when it is there already.</summary>
    public static void Register<TState>(TState state, in Hash256 keyHash, ReadOnlySpan<byte> publicKey) where TState : IExecutionState
    {
        if (publicKey.Length != MlDsaTransactions.PublicKeySize)
            throw new ArgumentException($"an ML-DSA-65 public key has {MlDsaTransactions.PublicKeySize} bytes, got {publicKey.Length}", nameof(publicKey));
        if (IsRegistered(state, keyHash)) return;
        for (int i = 0; i < MlDsaTransactions.PublicKeyWords; i++)
        {
            state.SetStorage(Address, WordSlot(keyHash, i), new Hash256(publicKey.Slice(i * Hash256.Size, Hash256.Size)));
        }
        state.SetStorage(Address, keyHash, RegisteredMarker);
    }

    /// <summary>Reads a registered key through <paramref name="getStorage"/>; false (and nothing written) when absent.</summary>
    public static bool TryRead(Func<Address, Hash256, Hash256> getStorage, in Hash256 keyHash, Span<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(getStorage);
        if (publicKey.Length < MlDsaTransactions.PublicKeySize)
            throw new ArgumentException($"the destination needs {MlDsaTransactions.PublicKeySize} bytes, got {publicKey.Length}", nameof(publicKey));
        if (getStorage(Address, keyHash) != RegisteredMarker) return false;
        for (int i = 0; i < MlDsaTransactions.PublicKeyWords; i++)
        {
            getStorage(Address, WordSlot(keyHash, i)).CopyTo(publicKey.Slice(i * Hash256.Size, Hash256.Size));
        }
        return true;
    }

    private static Address DeriveAddress()
    {
        Hash256 digest = Keccak256.Compute("nexus/ml-dsa-65/key-registry/v1"u8);
        return new Address(digest.Bytes.Slice(Hash256.Size - Address.Size));
    }
}
