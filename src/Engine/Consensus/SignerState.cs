using System.Buffers.Binary;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>A vote this validator signed, kept so that it can be sent again after a restart.</summary>
public sealed record SignedVote(int Round, Hash256 BlockHash, byte[] Signature);

/// <summary>
/// What a validator signed at its latest height, persisted before any signature leaves the signer (CometBFT's privval
/// last-sign-state plus the part of its WAL that matters). The last signed payload drives the double-sign guard. The
/// latest prevote and precommit of the height are kept with their signatures: a validator that restarts must send
/// them again, since its peers may wait for exactly those votes and it may not sign a different one (without them
/// a restarted validator is silent for the round, which is an omission fault). The lock (the last non-nil precommit,
/// by the Tendermint rules) is kept so that a restarted validator stays safe.
/// </summary>
public sealed record SignerState(
    ulong Height,
    int Round,
    ConsensusMessageType Type,
    int PolRound,
    Hash256 BlockHash,
    byte[] Signature,
    int LockedRound,
    Hash256 LockedBlockHash,
    SignedVote? LastPrevote,
    SignedVote? LastPrecommit)
{
    private const uint Magic = 0x4E465347; // "NFSG"
    private const int Version = 2;
    private const int VoteLength = 4 + 32 + ConsensusSigning.SignatureLength; // round (-1: none), hash, signature
    private const int BodyLength = 4 + 4 + 8 + 4 + 1 + 4 + 32 + ConsensusSigning.SignatureLength + 4 + 32 + (2 * VoteLength);

    /// <summary>The body (magic, version, payload, signature, lock, last prevote, last precommit) and its Keccak-256.</summary>
    public const int EncodedLength = BodyLength + 32;

    public SigningPayload Payload => new(Type, Height, Round, PolRound, BlockHash);

    public byte[] Encode()
    {
        byte[] buffer = new byte[EncodedLength];
        Span<byte> span = buffer;
        BinaryPrimitives.WriteUInt32BigEndian(span, Magic);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], Version);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], Height);
        BinaryPrimitives.WriteInt32BigEndian(span[16..], Round);
        span[20] = (byte)Type;
        BinaryPrimitives.WriteInt32BigEndian(span[21..], PolRound);
        BlockHash.CopyTo(span[25..]);
        Signature.CopyTo(span[57..]);
        BinaryPrimitives.WriteInt32BigEndian(span[122..], LockedRound);
        LockedBlockHash.CopyTo(span[126..]);
        WriteVote(span.Slice(158, VoteLength), LastPrevote);
        WriteVote(span.Slice(158 + VoteLength, VoteLength), LastPrecommit);
        Keccak256.Hash(span[..BodyLength], span[BodyLength..]);
        return buffer;
    }

    /// <summary>Decodes a persisted state; a torn or foreign file is an error, never an empty state.</summary>
    /// <exception cref="InvalidDataException">Wrong length, magic, version or checksum.</exception>
    public static SignerState Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length != EncodedLength) throw new InvalidDataException($"signer state has {data.Length} bytes, expected {EncodedLength}");
        if (BinaryPrimitives.ReadUInt32BigEndian(data) != Magic) throw new InvalidDataException("signer state: bad magic");
        if (BinaryPrimitives.ReadInt32BigEndian(data[4..]) != Version) throw new InvalidDataException("signer state: unknown version");
        Span<byte> checksum = stackalloc byte[32];
        Keccak256.Hash(data[..BodyLength], checksum);
        if (!checksum.SequenceEqual(data[BodyLength..])) throw new InvalidDataException("signer state: checksum mismatch (torn or corrupted file)");
        byte type = data[20];
        if (type is < (byte)ConsensusMessageType.Proposal or > (byte)ConsensusMessageType.Precommit) throw new InvalidDataException($"signer state: unknown type {type}");
        return new SignerState(
            BinaryPrimitives.ReadUInt64BigEndian(data[8..]),
            BinaryPrimitives.ReadInt32BigEndian(data[16..]),
            (ConsensusMessageType)type,
            BinaryPrimitives.ReadInt32BigEndian(data[21..]),
            new Hash256(data.Slice(25, 32)),
            data.Slice(57, ConsensusSigning.SignatureLength).ToArray(),
            BinaryPrimitives.ReadInt32BigEndian(data[122..]),
            new Hash256(data.Slice(126, 32)),
            ReadVote(data.Slice(158, VoteLength)),
            ReadVote(data.Slice(158 + VoteLength, VoteLength)));
    }

    private static void WriteVote(Span<byte> span, SignedVote? vote)
    {
        BinaryPrimitives.WriteInt32BigEndian(span, vote?.Round ?? -1);
        if (vote is null) return;
        vote.BlockHash.CopyTo(span[4..]);
        vote.Signature.CopyTo(span[36..]);
    }

    private static SignedVote? ReadVote(ReadOnlySpan<byte> span)
    {
        int round = BinaryPrimitives.ReadInt32BigEndian(span);
        if (round < 0) return null;
        return new SignedVote(round, new Hash256(span.Slice(4, 32)), span.Slice(36, ConsensusSigning.SignatureLength).ToArray());
    }
}

/// <summary>Durable storage of one <see cref="SignerState"/>; <see cref="Save"/> returns only once the state survives a crash.</summary>
public interface ISignerStateStore
{
    /// <summary>The last saved state, or null when nothing was ever signed.</summary>
    SignerState? Load();

    void Save(SignerState state);
}
