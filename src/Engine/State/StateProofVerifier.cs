using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.State;

/// <summary>
/// Checks proofs against a root alone (no store): recompute the terminal's hash, fold the siblings upward along the
/// key's bits, compare with the root. See <see cref="StateCommitment"/> for the hashes.
/// </summary>
public static class StateProofVerifier
{
    /// <summary>
    /// True when <paramref name="proof"/> shows that, under <paramref name="stateRoot"/>, <paramref name="address"/>
    /// holds <paramref name="account"/> (or, for null or an empty account, that it is absent).
    /// </summary>
    public static bool VerifyAccount(in Hash256 stateRoot, in Address address, Account? account, AccountProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Siblings.Length > TreePath.MaxDepth) return false;
        Hash256 key = StateCommitment.AccountKey(address);
        Hash256 terminal;
        if (account is { IsEmpty: false } claimed)
        {
            if (proof.Terminal != ProofTerminal.Leaf || proof.LeafKey != key || proof.LeafAccount != claimed) return false;
            terminal = StateCommitment.AccountLeaf(key, claimed);
        }
        else if (!TryAbsentTerminal(key, proof.Terminal, proof.LeafKey, proof.Siblings.Length, out terminal))
        {
            return false;
        }
        else if (proof.Terminal == ProofTerminal.Leaf)
        {
            if (proof.LeafAccount.IsEmpty) return false;
            terminal = StateCommitment.AccountLeaf(proof.LeafKey, proof.LeafAccount);
        }
        return Fold(key, proof.Siblings, terminal) == stateRoot;
    }

    /// <summary>
    /// True when <paramref name="proof"/> shows that, under an account's <paramref name="storageRoot"/>,
    /// <paramref name="slot"/> holds <paramref name="value"/> (zero: the slot is absent).
    /// </summary>
    public static bool VerifyStorage(in Hash256 storageRoot, in Hash256 slot, in Hash256 value, StorageProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Siblings.Length > TreePath.MaxDepth) return false;
        Hash256 key = StateCommitment.StorageKey(slot);
        Hash256 terminal;
        if (!value.IsZero)
        {
            if (proof.Terminal != ProofTerminal.Leaf || proof.LeafKey != key || proof.LeafValue != value) return false;
            terminal = StateCommitment.StorageLeaf(key, value);
        }
        else if (!TryAbsentTerminal(key, proof.Terminal, proof.LeafKey, proof.Siblings.Length, out terminal))
        {
            return false;
        }
        else if (proof.Terminal == ProofTerminal.Leaf)
        {
            if (proof.LeafValue.IsZero) return false;
            terminal = StateCommitment.StorageLeaf(proof.LeafKey, proof.LeafValue);
        }
        return Fold(key, proof.Siblings, terminal) == storageRoot;
    }

    /// <summary>
    /// An absence ends at an empty position, or at another key's leaf that shares the whole path so far (that leaf is
    /// alone in its subtree, so the queried key is not in it).
    /// </summary>
    private static bool TryAbsentTerminal(in Hash256 key, ProofTerminal kind, in Hash256 leafKey, int depth, out Hash256 terminal)
    {
        terminal = Hash256.Zero;
        if (kind == ProofTerminal.Empty) return true;
        return kind == ProofTerminal.Leaf && leafKey != key && TreePath.CommonPrefixLength(leafKey, key) >= depth;
    }

    private static Hash256 Fold(in Hash256 key, Hash256[] siblings, Hash256 node)
    {
        for (int depth = siblings.Length - 1; depth >= 0; depth--)
        {
            node = key.GetBit(depth) == 0
                ? StateCommitment.Internal(node, siblings[depth])
                : StateCommitment.Internal(siblings[depth], node);
        }
        return node;
    }
}
