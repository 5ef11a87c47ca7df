using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Consensus;

/// <summary>
/// The block a validator locked on, with the polka (2f + 1 prevotes of its round) that justified the lock. Persisted
/// before the precommit that takes the lock is signed: after a restart the validator can still propose the value with
/// its proof-of-lock round and show the polka, which is what lets validators locked on it and validators that are not
/// agree again. Without it, locks survive a crash (in <see cref="SignerState"/>) but the value does not, and a height can
/// stall for good once every correct holder of the block has restarted (CometBFT keeps it in its WAL for this reason).
/// </summary>
public sealed record LockedValue(ulong Height, int Round, Hash256 BlockHash, byte[] Block, Vote[] Polka)
{
    /// <summary>RLP [height, round, blockHash, block, [vote, ...]] followed by its Keccak-256.</summary>
    public byte[] Encode()
    {
        byte[][] votes = Polka.Select(VoteCodec.Encode).ToArray();
        int votesLength = votes.Sum(v => v.Length);
        int payload = RlpWriter.LengthOfUInt64(Height) + RlpWriter.LengthOfUInt64((ulong)Round) + RlpWriter.LengthOfHash
            + RlpWriter.LengthOfString(Block) + RlpWriter.LengthOfList(votesLength);
        int length = RlpWriter.LengthOfList(payload);
        byte[] buffer = new byte[length + Keccak256.HashLength];
        var writer = new RlpWriter(buffer.AsSpan(0, length));
        writer.WriteListHeader(payload);
        writer.WriteUInt64(Height);
        writer.WriteUInt64((ulong)Round);
        writer.WriteHash(BlockHash);
        writer.WriteString(Block);
        writer.WriteListHeader(votesLength);
        foreach (byte[] vote in votes) writer.WriteEncoded(vote);
        Keccak256.Hash(buffer.AsSpan(0, length), buffer.AsSpan(length));
        return buffer;
    }

    /// <exception cref="InvalidDataException">A checksum mismatch or a malformed record.</exception>
    public static LockedValue Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < Keccak256.HashLength) throw new InvalidDataException("locked value: too short");
        ReadOnlySpan<byte> body = data[..^Keccak256.HashLength];
        if (Keccak256.Compute(body) != new Hash256(data[^Keccak256.HashLength..])) throw new InvalidDataException("locked value: checksum mismatch");
        try
        {
            var reader = new RlpReader(body);
            RlpReader fields = reader.ReadList();
            reader.EnsureEnd();
            ulong height = fields.ReadUInt64();
            ulong round = fields.ReadUInt64();
            Hash256 hash = fields.ReadHash();
            byte[] block = fields.ReadString().ToArray();
            var votes = new List<Vote>();
            RlpReader list = fields.ReadList();
            while (!list.IsEnd) votes.Add(VoteCodec.Decode(list.ReadEncoded()));
            fields.EnsureEnd();
            if (round > int.MaxValue) throw new InvalidDataException("locked value: round out of range");
            return new LockedValue(height, (int)round, hash, block, votes.ToArray());
        }
        catch (FormatException error)
        {
            throw new InvalidDataException($"locked value: {error.Message}", error);
        }
    }
}

/// <summary>Durable storage of the current <see cref="LockedValue"/>; <see cref="Save"/> returns once it survives a crash.</summary>
public interface ILockedValueStore
{
    LockedValue? Load();

    void Save(LockedValue value);
}

/// <summary>The locked value in a file replaced atomically (see <see cref="AtomicFile"/>).</summary>
public sealed class FileLockedValueStore(string path) : ILockedValueStore
{
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    public LockedValue? Load() => File.Exists(Path) ? LockedValue.Decode(File.ReadAllBytes(Path)) : null;

    public void Save(LockedValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AtomicFile.Replace(Path, value.Encode());
    }
}
