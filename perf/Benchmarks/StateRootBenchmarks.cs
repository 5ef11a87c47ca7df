using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Benchmarks;

/// <summary>
/// The state root over 100,000 accounts after a block that changed 20,000 of them, and a whole block of 10,000
/// transfers among those accounts (read, write, root, apply): the target is at most 100 ms per block.
/// </summary>
/// <remarks>One invocation per iteration: the root benchmark needs a fresh block each time (a sealed block returns its root at once).</remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
public class StateRootBenchmarks
{
    private const int AccountCount = 100_000;
    private const int DirtyCount = 20_000;
    private const int Transfers = 10_000;

    private StateStore _store = null!;
    private Address[] _addresses = null!;
    private int[] _dirty = null!;
    private int[] _senders = null!;
    private int[] _recipients = null!;
    private StateOverlay? _block;
    private byte[] _leafInputs = null!;
    private Hash256[] _leafHashes = null!;
    private ParallelNodeHasher _hasher = null!;
    private ulong _round;

    [GlobalSetup]
    public void Setup()
    {
        _store = StateStore.OpenInMemory();
        _addresses = new Address[AccountCount];
        using (StateOverlay block = _store.BeginBlock())
        {
            for (int i = 0; i < AccountCount; i++)
            {
                _addresses[i] = StateBenchmarks.BenchAddress(i);
                block.SetAccount(_addresses[i], new Account(0, new UInt256(1_000_000_000)));
            }
            block.Commit();
        }

        var random = new Random(2);
        _dirty = Enumerable.Range(0, AccountCount).OrderBy(_ => random.Next()).Take(DirtyCount).ToArray();
        _senders = Enumerable.Range(0, Transfers).Select(_ => random.Next(AccountCount)).ToArray();
        _recipients = Enumerable.Range(0, Transfers).Select(_ => random.Next(AccountCount)).ToArray();

        WarmUp(_store, _addresses);

        _hasher = ParallelNodeHasher.ForLanes();
        _leafInputs = new byte[DirtyCount * StateCommitment.AccountLeafInputSize];
        _leafHashes = new Hash256[DirtyCount];
        for (int i = 0; i < DirtyCount; i++)
        {
            StateCommitment.WriteAccountLeafInput(_leafInputs.AsSpan(i * StateCommitment.AccountLeafInputSize, StateCommitment.AccountLeafInputSize),
                StateCommitment.AccountKey(_addresses[_dirty[i]]), new Account(1, new UInt256((ulong)i)));
        }
    }

    /// <summary>
    /// Runs every commit path through the JIT's tiers before measuring: with one invocation per iteration, a short run
    /// would otherwise time tier-0 code (the shipped binary is compiled ahead of time, fully optimized).
    /// </summary>
    internal static void WarmUp(StateStore store, Address[] addresses)
    {
        for (int round = 0; round < 3; round++)
        {
            for (int block = 0; block < 40; block++)
            {
                using StateOverlay overlay = store.BeginBlock();
                for (int i = 0; i < 300; i++)
                {
                    Address address = addresses[(block * 300 + i * 7) % addresses.Length];
                    Account account = overlay.GetAccount(address);
                    overlay.SetAccount(address, account.WithNonce(account.Nonce + 1));
                }
                overlay.Commit();
            }
            Thread.Sleep(300);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _block?.Dispose();
        _store.Dispose();
    }

    [IterationSetup(Targets = [nameof(RootOf20000DirtyAccounts)])]
    public void WriteDirtyAccounts()
    {
        _round++;
        _block = _store.BeginBlock();
        foreach (int index in _dirty) _block.SetAccount(_addresses[index], new Account(_round, new UInt256(_round * 7)));
    }

    [IterationCleanup(Targets = [nameof(RootOf20000DirtyAccounts)])]
    public void DropBlock()
    {
        // Discarding keeps the 100,000-account tree the same for every iteration.
        _block!.Dispose();
        _block = null;
    }

    /// <summary>The floor: only the 20,000 leaf hashes, no tree, with the store's own hasher (multi-lane SHA-256 on every core).</summary>
    [Benchmark(Baseline = true)]
    public Hash256 LeafHashesOnly()
    {
        _hasher.HashFixed(_leafInputs, StateCommitment.AccountLeafInputSize, _leafHashes);
        return _leafHashes[^1];
    }

    /// <summary>Keys, leaves and every changed tree level for 20,000 dirty accounts of 100,000.</summary>
    [Benchmark]
    public Hash256 RootOf20000DirtyAccounts() => _block!.ComputeStateRoot();

    /// <summary>10,000 transfers (two accounts read and written each), the state root, and the commit to FASTER.</summary>
    [Benchmark]
    public Hash256 BlockOf10000Transfers()
    {
        using StateOverlay block = _store.BeginBlock();
        var amount = new UInt256(3);
        for (int t = 0; t < Transfers; t++)
        {
            Address from = _addresses[_senders[t]];
            Account sender = block.GetAccount(from);
            block.SetAccount(from, new Account(sender.Nonce + 1, sender.Balance - amount, sender.CodeHash, sender.StorageRoot));
            Address to = _addresses[_recipients[t]];
            Account recipient = block.GetAccount(to);
            block.SetAccount(to, recipient.WithBalance(recipient.Balance + amount));
        }
        return block.Commit();
    }
}
