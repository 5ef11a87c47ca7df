using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State;

/// <summary>
/// A path in one account's storage tree from its storage root down to where a slot's key leads. Prove the storage
/// root itself with the account's <see cref="AccountProof"/>; check this one with
/// <see cref="StateProofVerifier.VerifyStorage"/>.
/// </summary>
/// <remarks>Byte form as <see cref="AccountProof"/>, with the leaf's 32-byte value in place of the account.</remarks>
public sealed class StorageProof
{
    public StorageProof(Hash256[] siblings, ProofTerminal terminal, Hash256 leafKey, Hash256 leafValue)
    {
        ArgumentNullException.ThrowIfNull(siblings);
        Siblings = siblings;
        Terminal = terminal;
        LeafKey = leafKey;
        LeafValue = leafValue;
    }

    public Hash256[] Siblings { get; }

    public ProofTerminal Terminal { get; }

    public Hash256 LeafKey { get; }

    public Hash256 LeafValue { get; }

    public byte[] Encode()
    {
        int size = 2 + Siblings.Length * Hash256.Size + 1 + (Terminal == ProofTerminal.Leaf ? 2 * Hash256.Size : 0);
        byte[] bytes = new byte[size];
        int at = ProofCodec.WriteSiblings(bytes, Siblings, Terminal);
        if (Terminal == ProofTerminal.Leaf)
        {
            LeafKey.CopyTo(bytes.AsSpan(at, Hash256.Size));
            LeafValue.CopyTo(bytes.AsSpan(at + Hash256.Size, Hash256.Size));
        }
        return bytes;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out StorageProof? proof, [NotNullWhen(false)] out string? error)
    {
        proof = null;
        if (!ProofCodec.TryReadSiblings(bytes, Hash256.Size, out Hash256[]? siblings, out ProofTerminal terminal, out int at, out error)) return false;
        proof = terminal == ProofTerminal.Empty
            ? new StorageProof(siblings, terminal, default, default)
            : new StorageProof(siblings, terminal, new Hash256(bytes.Slice(at, Hash256.Size)), new Hash256(bytes.Slice(at + Hash256.Size, Hash256.Size)));
        return true;
    }
}
