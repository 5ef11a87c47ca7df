using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Persistence;

namespace NexusFast.Engine.State;

/// <summary>
/// Reads the committed accounts a block's transactions will touch (in the order they touch them) while the block
/// executes, for <see cref="StateOverlay.Preload"/>. With 1,000,000 accounts each read misses the CPU caches twice
/// (FASTER's index and its log), and a 50,000-transfer block's 100,000 reads cost more than executing it.
/// </summary>
/// <remarks>
/// <para>The addresses are read in chunks of <see cref="ChunkSize"/>, each claimed by one reader: a pool thread
/// (with its own FASTER session) claims chunk after chunk from the start; the state thread moves finished chunks into
/// the overlay, in order, when execution first misses an account (<see cref="InsertUntil"/>), and reads chunks
/// itself rather than wait. Execution thus runs beside the reads instead of after them, on the core it otherwise
/// leaves idle. A busy pool never stalls a block: the state thread then reads every chunk itself.</para>
/// <para>Only reads: an account is what FASTER holds until the block commits, so a chunk moved in late, or never
/// (execution ended first), changes nothing; an account already in the overlay keeps its slot.</para>
/// </remarks>
internal sealed class AccountPreloader
{
    /// <summary>Addresses per claim: a few hundred microseconds of reads, so the two threads rarely wait for each other.</summary>
    internal const int ChunkSize = 512;

    private readonly StateSession _session;
    private readonly StateSession _helperSession;
    private readonly ManualResetEventSlim _helperDone = new(false);
    private Address[] _addresses = [];
    private Entry[] _entries = [];
    private int[] _chunkRead = [];
    private int _count;
    private int _chunks;
    private int _nextClaim;
    private int _inserted;
    private int _generation;

    /// <summary>The helper run of <see cref="_generation"/>: (generation &lt;&lt; 2) | phase (0 queued, 1 reading, 2 over).</summary>
    private int _helper;
    private Exception? _helperFailure;

    /// <param name="session">The state thread's session (the overlay's).</param>
    /// <param name="helperSession">The pool thread's session, used by nothing else.</param>
    public AccountPreloader(StateSession session, StateSession helperSession)
    {
        _session = session;
        _helperSession = helperSession;
    }

    /// <summary>Whether chunks are left to move into the overlay.</summary>
    public bool HasPending => _inserted < _chunks;

    /// <summary>Starts reading <paramref name="addresses"/> (copied) beside the caller; stops an earlier run first.</summary>
    public void Start(ReadOnlySpan<Address> addresses)
    {
        Stop();
        int count = addresses.Length;
        if (_addresses.Length < count)
        {
            _addresses = new Address[count];
            _entries = new Entry[count];
        }
        addresses.CopyTo(_addresses);
        _count = count;
        int chunks = (count + ChunkSize - 1) / ChunkSize;
        if (_chunkRead.Length < chunks) _chunkRead = new int[chunks];
        else Array.Clear(_chunkRead, 0, chunks);
        _nextClaim = 0;
        _inserted = 0;
        _helperFailure = null;
        _helperDone.Reset();
        int generation = _generation = (_generation + 1) & 0x1FFFFFFF;
        Volatile.Write(ref _helper, generation << 2);
        _chunks = chunks;
        ThreadPool.UnsafeQueueUserWorkItem(static run => run.Preloader.Help(run.Generation), new HelperRun(this, generation), preferLocal: false);
    }

    /// <summary>
    /// Moves the read chunks into <paramref name="accounts"/>, in order, until one holds <paramref name="address"/> or
    /// none is left; reads unclaimed chunks itself while the one it needs next is still being read. State thread only.
    /// </summary>
    public void InsertUntil(Dictionary<Address, AccountSlot> accounts, in Address address)
    {
        var spin = new SpinWait();
        while (_inserted < _chunks)
        {
            int chunk = _inserted;
            while (Volatile.Read(ref _chunkRead[chunk]) == 0)
            {
                if (Volatile.Read(ref _nextClaim) < _chunks)
                {
                    int claimed = Interlocked.Increment(ref _nextClaim) - 1;
                    if (claimed < _chunks) Read(_session, claimed);
                    continue;
                }
                // Every chunk is claimed and the helper has this one; if it is over, its read failed.
                if ((Volatile.Read(ref _helper) & 3) == 2 && Volatile.Read(ref _chunkRead[chunk]) == 0)
                    throw new IOException("reading accounts ahead of execution failed", _helperFailure);
                spin.SpinOnce(sleep1Threshold: -1);
            }
            _inserted++;
            if (Insert(accounts, chunk, address)) return;
        }
    }

    /// <summary>
    /// Ends the current run: no chunk is claimed any more, and the helper is either done or will never start. Chunks not
    /// moved into the overlay are dropped, and so is a failed read of one (the block never needed it).
    /// </summary>
    public void Stop()
    {
        if (_chunks == 0) return;
        Volatile.Write(ref _nextClaim, _chunks);
        int queued = _generation << 2;
        // Not started yet: mark it over, and the run, when the pool gets to it, does nothing.
        if (Interlocked.CompareExchange(ref _helper, queued | 2, queued) != queued) _helperDone.Wait();
        _chunks = 0;
        _inserted = 0;
        _helperFailure = null;
    }

    /// <summary>Gives back arrays a very large block grew (between blocks).</summary>
    public void TrimExcess()
    {
        Stop();
        _addresses = [];
        _entries = [];
        _chunkRead = [];
    }

    private void Help(int generation)
    {
        int queued = generation << 2;
        if (Interlocked.CompareExchange(ref _helper, queued | 1, queued) != queued) return;
        try
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref _nextClaim) - 1) < _chunks) Read(_helperSession, chunk);
        }
        catch (Exception e)
        {
            _helperFailure = e;
        }
        finally
        {
            Volatile.Write(ref _helper, queued | 2);
            _helperDone.Set();
        }
    }

    private void Read(StateSession session, int chunk)
    {
        int end = Math.Min(_count, (chunk + 1) * ChunkSize);
        for (int i = chunk * ChunkSize; i < end; i++)
        {
            ref Entry entry = ref _entries[i];
            entry.Found = session.TryReadAccount(_addresses[i], out entry.Account, out entry.Key);
        }
        Volatile.Write(ref _chunkRead[chunk], 1);
    }

    private bool Insert(Dictionary<Address, AccountSlot> accounts, int chunk, in Address address)
    {
        bool found = false;
        int end = Math.Min(_count, (chunk + 1) * ChunkSize);
        for (int i = chunk * ChunkSize; i < end; i++)
        {
            found |= _addresses[i] == address;
            ref AccountSlot slot = ref CollectionsMarshal.GetValueRefOrAddDefault(accounts, _addresses[i], out bool exists);
            if (exists) continue;
            ref Entry read = ref _entries[i];
            slot.Original = read.Account;
            slot.Current = read.Account;
            slot.Key = read.Key;
            slot.HasKey = read.Found;
        }
        return found;
    }

    private sealed record HelperRun(AccountPreloader Preloader, int Generation);

    private struct Entry
    {
        public Account Account;
        public Hash256 Key;
        public bool Found;
    }
}
