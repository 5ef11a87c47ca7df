using System.Buffers.Binary;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>
/// What a validator last signed, persisted before the signature leaves the signer (CometBFT's privval
/// last-sign-state). Also the lock of that height: the last non-nil precommit is, by the Tendermint rules, exactly the
/// locked value and round, so a restarted validator recovers its lock from here and stays safe.
/// </summary>
public sealed record SignerState(
    ulong Height,
    int Round,
    ConsensusMessageType Type,
    int PolRound,
    Hash256 BlockHash,
    byte[] Signature,
    int LockedRound,
    Hash256 LockedBlockHash)
{
    private const uint Magic = 0x4E465347; // "NFSG"
    private const int Version = 1;

    /// <summary>magic, version, height, round, type, pol round, block hash, signature, locked round, locked hash, keccak of all before.</summary>
    public const int EncodedLength = 4 + 4 + 8 + 4 + 1 + 4 + 32 + ConsensusSigning.SignatureLength + 4 + 32 + 32;

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
        Keccak256.Hash(span[..158], span[158..]);
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
        Keccak256.Hash(data[..158], checksum);
        if (!checksum.SequenceEqual(data[158..])) throw new InvalidDataException("signer state: checksum mismatch (torn or corrupted file)");
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
            new Hash256(data.Slice(126, 32)));
    }
}

/// <summary>Durable storage of one <see cref="SignerState"/>; <see cref="Save"/> returns only once the state survives a crash.</summary>
public interface ISignerStateStore
{
    /// <summary>The last saved state, or null when nothing was ever signed.</summary>
    SignerState? Load();

    void Save(SignerState state);
}
