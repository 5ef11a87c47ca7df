using System.Buffers.Binary;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.State;

/// <summary>The shared part of the proof byte forms: sibling count, siblings, terminal byte.</summary>
internal static class ProofCodec
{
    public static int WriteSiblings(Span<byte> destination, Hash256[] siblings, ProofTerminal terminal)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)siblings.Length);
        int at = 2;
        foreach (Hash256 sibling in siblings)
        {
            sibling.CopyTo(destination.Slice(at, Hash256.Size));
            at += Hash256.Size;
        }
        destination[at++] = (byte)terminal;
        return at;
    }

    public static bool TryReadSiblings(
        ReadOnlySpan<byte> bytes,
        int leafValueSize,
        [NotNullWhen(true)] out Hash256[]? siblings,
        out ProofTerminal terminal,
        out int leafAt,
        [NotNullWhen(false)] out string? error)
    {
        siblings = null;
        terminal = default;
        leafAt = 0;
        if (bytes.Length < 3)
        {
            error = $"proof is {bytes.Length} bytes, shorter than its 3-byte header";
            return false;
        }
        int count = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        if (count > TreePath.MaxDepth)
        {
            error = $"proof has {count} siblings, more than the tree depth {TreePath.MaxDepth}";
            return false;
        }
        int terminalAt = 2 + count * Hash256.Size;
        if (bytes.Length <= terminalAt)
        {
            error = $"proof is {bytes.Length} bytes, too short for {count} siblings and a terminal";
            return false;
        }
        byte kind = bytes[terminalAt];
        if (kind > (byte)ProofTerminal.Leaf)
        {
            error = $"proof terminal {kind} is neither 0 (empty) nor 1 (leaf)";
            return false;
        }
        int expected = terminalAt + 1 + (kind == (byte)ProofTerminal.Leaf ? Hash256.Size + leafValueSize : 0);
        if (bytes.Length != expected)
        {
            error = $"proof is {bytes.Length} bytes, its header says {expected}";
            return false;
        }

        siblings = new Hash256[count];
        for (int i = 0; i < count; i++) siblings[i] = new Hash256(bytes.Slice(2 + i * Hash256.Size, Hash256.Size));
        terminal = (ProofTerminal)kind;
        leafAt = terminalAt + 1;
        error = null;
        return true;
    }
}
