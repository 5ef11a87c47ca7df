using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Storage;

/// <summary>Where a transaction sits in the chain.</summary>
public readonly record struct TxLocation(ulong BlockNumber, int Index);

/// <summary>
/// Committed blocks and their indexes: number -> block, hash -> number, transaction hash -> (block, index), and
/// receipts. Blocks are appended to the block log (durable before <see cref="Append"/> returns); the indexes are
/// rebuilt from the log when the store opens, so they can never disagree with it.
/// </summary>
public sealed class BlockStore : IDisposable
{
    private readonly IBlockLog _log;
    private readonly object _gate = new();

    /// <summary>Taken before <see cref="_gate"/>: appends one at a time, as they share <see cref="_recordBuffer"/>.</summary>
    private readonly object _appendGate = new();
    private byte[] _recordBuffer = [];
    private readonly List<long> _addressByNumber = new();   // index = block number
    private readonly Dictionary<Hash256, ulong> _numberByHash = new();
    private readonly TxLocationIndex _txLocations = new();
    private readonly Dictionary<ulong, (Block Block, Receipt[] Receipts, CommitCertificate? Commit)> _recent = new();
    private const int RecentBlocksMax = 64;

    /// <summary>
    /// The cache also stops at this many transactions (the newest block always stays): 64 blocks of 50,000 transfers
    /// would keep 3.2 M transaction and receipt objects alive, over a GiB of heap that every full collection marks.
    /// </summary>
    private const int RecentTransactionsMax = 1 << 16;

    private ulong _oldestRecent;
    private long _recentTransactions;

    public BlockStore(IBlockLog log)
    {
        _log = log;
        foreach ((long address, byte[] record) in log.Scan())
        {
            (ulong number, Hash256 hash, Hash256[] txHashes) = BlockRecordCodec.DecodeIndexEntry(record);
            if (number != (ulong)_addressByNumber.Count)
                throw new InvalidDataException($"block log out of order: found block {number} where block {_addressByNumber.Count} belongs");
            Index(number, hash, txHashes, address);
        }
    }

    /// <summary>Number of blocks stored (genesis is block 0), i.e. the next block number.</summary>
    public ulong Count
    {
        get
        {
            lock (_gate) return (ulong)_addressByNumber.Count;
        }
    }

    /// <summary>
    /// Appends the next block durably, with the certificate that committed it when consensus did, then indexes it.
    /// Returns only once a crash can no longer lose it.
    /// </summary>
    /// <remarks>
    /// The record is encoded into a buffer the store keeps (a 50,000-transfer block is 8 MB: a fresh array per block
    /// would be a large-object allocation each time). While the log writes it to the device, the block is indexed and
    /// cached: all of that happens under the lookup lock, so no lookup sees the block before its commit completed, and
    /// when the commit fails the entries are taken out again before the error goes to the caller.
    /// </remarks>
    public void Append(Block block, IReadOnlyList<Receipt> receipts, CommitCertificate? commit = null)
    {
        Receipt[] receiptArray = receipts as Receipt[] ?? receipts.ToArray();
        lock (_appendGate)
        {
            // Only appends change the count, and they hold _appendGate: the check stays true until the block is indexed.
            ulong next = Count;
            if (block.Number != next) throw new InvalidOperationException($"block {block.Number} appended where block {next} is next");
            int length = BlockRecordCodec.Encode(block, receiptArray, commit, ref _recordBuffer);
            lock (_gate)
            {
                PendingAppend pending = _log.BeginAppend(_recordBuffer.AsSpan(0, length));
                Index(block, pending.Address);
                Remember(block, receiptArray, commit);
                try
                {
                    pending.WaitCommitted();
                }
                catch
                {
                    Forget(block);
                    Unindex(block);
                    throw;
                }
            }
        }
    }

    public bool TryGetBlock(ulong number, [NotNullWhen(true)] out Block? block, out Receipt[] receipts)
    {
        long address;
        lock (_gate)
        {
            if (_recent.TryGetValue(number, out var cached))
            {
                (block, receipts, _) = cached;
                return true;
            }
            if (number >= (ulong)_addressByNumber.Count)
            {
                block = null;
                receipts = [];
                return false;
            }
            address = _addressByNumber[(int)number];
        }
        (block, receipts) = BlockRecordCodec.Decode(_log.Read(address));
        return true;
    }

    /// <summary>
    /// The certificate stored with block <paramref name="number"/> (<see cref="Append"/>); false when there is no such
    /// block or it was committed without one (the genesis, blocks of a chain not run by consensus).
    /// </summary>
    public bool TryGetCommit(ulong number, [NotNullWhen(true)] out CommitCertificate? commit)
    {
        long address;
        lock (_gate)
        {
            if (_recent.TryGetValue(number, out var cached))
            {
                commit = cached.Commit;
                return commit is not null;
            }
            if (number >= (ulong)_addressByNumber.Count)
            {
                commit = null;
                return false;
            }
            address = _addressByNumber[(int)number];
        }
        BlockRecordCodec.Decode(_log.Read(address), out commit);
        return commit is not null;
    }

    public bool TryGetNumber(Hash256 blockHash, out ulong number)
    {
        lock (_gate) return _numberByHash.TryGetValue(blockHash, out number);
    }

    public bool TryGetTransactionLocation(Hash256 txHash, out TxLocation location)
    {
        lock (_gate) return _txLocations.TryGetValue(txHash, out location);
    }

    /// <summary>Every stored block from <paramref name="first"/> on, in order (recovery replay).</summary>
    public IEnumerable<(Block Block, Receipt[] Receipts)> ReadFrom(ulong first)
    {
        for (ulong n = first; n < Count; n++)
        {
            if (!TryGetBlock(n, out Block? block, out Receipt[] receipts)) yield break;
            yield return (block, receipts);
        }
    }

    public void Dispose() => _log.Dispose();

    private void Index(Block block, long address)
    {
        IndexHeader(block.Number, block.Hash, address);
        Transaction[] txs = block.Transactions;
        for (int i = 0; i < txs.Length; i++) _txLocations.Add(txs[i].Hash, new TxLocation(block.Number, i));
    }

    private void Index(ulong number, Hash256 hash, Hash256[] txHashes, long address)
    {
        IndexHeader(number, hash, address);
        for (int i = 0; i < txHashes.Length; i++) _txLocations.Add(txHashes[i], new TxLocation(number, i));
    }

    private void IndexHeader(ulong number, Hash256 hash, long address)
    {
        _addressByNumber.Add(address);
        _numberByHash[hash] = number;
    }

    /// <summary>Takes out what <see cref="Index(Block, long)"/> added for the newest block, whose commit failed.</summary>
    private void Unindex(Block block)
    {
        Transaction[] txs = block.Transactions;
        for (int i = txs.Length - 1; i >= 0; i--) _txLocations.Remove(txs[i].Hash);
        _numberByHash.Remove(block.Hash);
        _addressByNumber.RemoveAt(_addressByNumber.Count - 1);
    }

    /// <summary>
    /// Told of each block that leaves the cache of recent blocks, once no new lookup can return that object (older
    /// blocks are decoded from the log again): the chain retires its transactions for reuse.
    /// </summary>
    public Action<Block>? Evicted { get; set; }

    /// <summary>
    /// Takes the newest block, whose commit failed, out of the cache. Blocks it pushed out stay out: they are read from
    /// the log again.
    /// </summary>
    private void Forget(Block block)
    {
        if (_recent.Remove(block.Number)) _recentTransactions -= block.Transactions.Length;
    }

    private void Remember(Block block, Receipt[] receipts, CommitCertificate? commit)
    {
        if (_recent.Count == 0) _oldestRecent = block.Number;
        _recent[block.Number] = (block, receipts, commit);
        _recentTransactions += block.Transactions.Length;
        while (_oldestRecent < block.Number
            && (block.Number - _oldestRecent >= RecentBlocksMax || _recentTransactions > RecentTransactionsMax))
        {
            if (_recent.Remove(_oldestRecent++, out var evicted))
            {
                _recentTransactions -= evicted.Block.Transactions.Length;
                Evicted?.Invoke(evicted.Block);
            }
        }
    }
}
