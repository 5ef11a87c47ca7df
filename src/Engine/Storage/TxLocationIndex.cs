using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Storage;

/// <summary>
/// Transaction hash -> where the transaction sits, for every stored block, kept as generations of hash tables of a
/// bounded size: once the newest holds <see cref="GenerationCapacity"/> entries a new one, sized for that many, takes
/// the next entries. One growing table would rehash every entry it holds each time it doubles (at 50,000 transactions
/// a block, a pause of tens of milliseconds in some block's commit, growing with the chain); here no insert moves more
/// than one generation's entries. A lookup asks the generations newest first, so it costs one probe per million
/// transactions in the chain.
/// </summary>
/// <remarks>
/// A hash added again (which a valid chain never does: the sender's nonce is in it) is found at its newest location.
/// Not thread-safe: <see cref="BlockStore"/> holds its lock around every call.
/// </remarks>
internal sealed class TxLocationIndex
{
    public const int DefaultGenerationCapacity = 1 << 20;

    private readonly List<Dictionary<Hash256, TxLocation>> _generations = [new()];

    /// <param name="generationCapacity">Entries in a generation before the next one starts (tests make it small).</param>
    public TxLocationIndex(int generationCapacity = DefaultGenerationCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generationCapacity);
        GenerationCapacity = generationCapacity;
    }

    public int GenerationCapacity { get; }

    /// <summary>Tables in use; the first grows as an ordinary dictionary, so a small chain keeps a small one.</summary>
    public int Generations => _generations.Count;

    public void Add(Hash256 txHash, TxLocation location)
    {
        Dictionary<Hash256, TxLocation> newest = _generations[^1];
        if (newest.Count >= GenerationCapacity)
        {
            newest = new Dictionary<Hash256, TxLocation>(GenerationCapacity);
            _generations.Add(newest);
        }
        newest[txHash] = location;
    }

    public bool TryGetValue(Hash256 txHash, out TxLocation location)
    {
        for (int i = _generations.Count - 1; i >= 0; i--)
        {
            if (_generations[i].TryGetValue(txHash, out location)) return true;
        }
        location = default;
        return false;
    }

    /// <summary>
    /// Removes the newest entry for <paramref name="txHash"/> (the block whose commit failed was the last added), and a
    /// generation it leaves empty unless it is the only one; false when the hash has no entry.
    /// </summary>
    public bool Remove(Hash256 txHash)
    {
        for (int i = _generations.Count - 1; i >= 0; i--)
        {
            if (!_generations[i].Remove(txHash)) continue;
            if (i == _generations.Count - 1 && i > 0 && _generations[i].Count == 0) _generations.RemoveAt(i);
            return true;
        }
        return false;
    }
}
