using System.Buffers.Binary;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Execution;

/// <summary>
/// The chain's record of the equivocations its blocks reported, so that the same offence is never included twice. It is
/// plain storage of a system account, as <see cref="MlDsaKeyRegistry"/> is for keys: part of the state root, replayed
/// and checkpointed with the state, so "already committed" survives restarts and needs no list of old blocks.
/// </summary>
/// <remarks>
/// Layout: slot Keccak-256(validator (20 bytes) || height (8, big-endian) || round (4, big-endian) || vote type (1))
/// holds the number of the block that reported it. One slot per offence (<see cref="DuplicateVoteEvidence.Slot"/>):
/// two different proofs of the same double vote are the same offence. The account's address is the last 20 bytes of
/// Keccak-256 of a fixed string: no one holds its key and only block execution writes its storage.
/// </remarks>
public static class EvidenceRegistry
{
    public static readonly Address Address = DeriveAddress();

    public static Hash256 SlotOf(DuplicateVoteEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        Span<byte> preimage = stackalloc byte[Address.Size + 8 + 4 + 1];
        evidence.Validator.Bytes.CopyTo(preimage);
        BinaryPrimitives.WriteUInt64BigEndian(preimage[Address.Size..], evidence.Height);
        BinaryPrimitives.WriteInt32BigEndian(preimage[(Address.Size + 8)..], evidence.First.Round);
        preimage[^1] = (byte)evidence.First.Type;
        return Keccak256.Compute(preimage);
    }

    public static bool IsRecorded<TState>(TState state, DuplicateVoteEvidence evidence) where TState : IExecutionState =>
        !state.GetStorage(Address, SlotOf(evidence)).IsZero;

    /// <summary>Marks the offence as reported by block <paramref name="blockNumber"/> (at least 1, so the slot is never zero).</summary>
    public static void Record<TState>(TState state, DuplicateVoteEvidence evidence, ulong blockNumber) where TState : IExecutionState
    {
        ArgumentOutOfRangeException.ThrowIfZero(blockNumber);
        state.SetStorage(Address, SlotOf(evidence), Hash256.FromUInt256(new UInt256(blockNumber)));
    }

    private static Address DeriveAddress()
    {
        Hash256 digest = Keccak256.Compute("nexus/consensus/evidence-registry/v1"u8);
        return new Address(digest.Bytes.Slice(Hash256.Size - Address.Size));
    }
}
