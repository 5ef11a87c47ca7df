using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State;

/// <summary>
/// A path in the account tree from the state root down to where an address's key leads: the sibling hash at each
/// internal node (root side first), then the terminal. Check it with <see cref="StateProofVerifier.VerifyAccount"/>.
/// </summary>
/// <remarks>
/// Byte form (<see cref="Encode"/>): sibling count (2 bytes, big-endian, at most 255), the siblings (32 bytes each),
/// the terminal (1 byte: 0 empty, 1 leaf), and for a leaf its key (32) and account (<see cref="Account.WriteTo"/>, 104).
/// </remarks>
public sealed class AccountProof
{
    public AccountProof(Hash256[] siblings, ProofTerminal terminal, Hash256 leafKey, Account leafAccount)
    {
        ArgumentNullException.ThrowIfNull(siblings);
        Siblings = siblings;
        Terminal = terminal;
        LeafKey = leafKey;
        LeafAccount = leafAccount;
    }

    public Hash256[] Siblings { get; }

    public ProofTerminal Terminal { get; }

    /// <summary>The tree key of the leaf the path ends at (<see cref="ProofTerminal.Leaf"/> only).</summary>
    public Hash256 LeafKey { get; }

    /// <summary>The account in that leaf (<see cref="ProofTerminal.Leaf"/> only).</summary>
    public Account LeafAccount { get; }

    public byte[] Encode()
    {
        int size = 2 + Siblings.Length * Hash256.Size + 1 + (Terminal == ProofTerminal.Leaf ? Hash256.Size + Account.EncodedSize : 0);
        byte[] bytes = new byte[size];
        int at = ProofCodec.WriteSiblings(bytes, Siblings, Terminal);
        if (Terminal == ProofTerminal.Leaf)
        {
            LeafKey.CopyTo(bytes.AsSpan(at, Hash256.Size));
            LeafAccount.WriteTo(bytes.AsSpan(at + Hash256.Size, Account.EncodedSize));
        }
        return bytes;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out AccountProof? proof, [NotNullWhen(false)] out string? error)
    {
        proof = null;
        if (!ProofCodec.TryReadSiblings(bytes, Account.EncodedSize, out Hash256[]? siblings, out ProofTerminal terminal, out int at, out error)) return false;
        if (terminal == ProofTerminal.Empty)
        {
            proof = new AccountProof(siblings, terminal, default, Account.Empty);
            return true;
        }
        proof = new AccountProof(siblings, terminal, new Hash256(bytes.Slice(at, Hash256.Size)), Account.ReadFrom(bytes.Slice(at + Hash256.Size)));
        return true;
    }
}
