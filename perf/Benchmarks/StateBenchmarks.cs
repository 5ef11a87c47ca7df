using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.State.Persistence;

namespace NexusFast.Benchmarks;

/// <summary>
/// Account reads and writes against FASTER (100,000 accounts in the in-memory part of the log), per account, against
/// a plain Dictionary as the floor.
/// </summary>
[MemoryDiagnoser]
public class StateBenchmarks
{
    private const int AccountCount = 100_000;
    private const int Batch = 1_000;

    private StateStore _store = null!;
    private StateDatabase _database = null!;
    private StateSession _session = null!;
    private Address[] _addresses = null!;
    private Address[] _batch = null!;
    private Hash256[] _keys = null!;
    private Dictionary<Address, Account> _dictionary = null!;

    [GlobalSetup]
    public void Setup()
    {
        _addresses = new Address[AccountCount];
        _dictionary = new Dictionary<Address, Account>(AccountCount);
        _store = StateStore.OpenInMemory();
        using (StateOverlay block = _store.BeginBlock())
        {
            for (int i = 0; i < AccountCount; i++)
            {
                _addresses[i] = BenchAddress(i);
                var account = new Account((ulong)i, new UInt256(1_000_000_000));
                block.SetAccount(_addresses[i], account);
                _dictionary[_addresses[i]] = account;
            }
            block.Commit();
        }

        StateRootBenchmarks.WarmUp(_store, _addresses);

        var random = new Random(1);
        _batch = new Address[Batch];
        _keys = new Hash256[Batch];
        for (int i = 0; i < Batch; i++)
        {
            _batch[i] = _addresses[random.Next(AccountCount)];
            _keys[i] = StateCommitment.AccountKey(_batch[i]);
        }

        // A second FASTER store for raw upserts, so that the benchmarked store's contents stay fixed.
        _database = StateDatabase.OpenTemporary(new StateStoreOptions());
        _session = _database.NewSession();
        for (int i = 0; i < Batch; i++) _session.WriteAccount(_batch[i], new Account(1, UInt256.One), _keys[i]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _database.Dispose();
        _store.Dispose();
    }

    internal static Address BenchAddress(int index)
    {
        Span<byte> bytes = stackalloc byte[Address.Size];
        bytes.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes[16..], index + 1);
        bytes[0] = 0xAB;
        return new Address(bytes);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public ulong DictionaryRead()
    {
        ulong sum = 0;
        foreach (Address address in _batch) sum += _dictionary[address].Nonce;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public ulong FasterRead()
    {
        ulong sum = 0;
        foreach (Address address in _batch)
        {
            _store.TryGetAccount(address, out Account account);
            sum += account.Nonce;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void FasterUpsert()
    {
        for (int i = 0; i < _batch.Length; i++) _session.WriteAccount(_batch[i], new Account((ulong)i, UInt256.One), _keys[i]);
    }

    /// <summary>What execution does per account: read through the block overlay (first touch reads FASTER), write back.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void OverlayReadModifyWrite()
    {
        using StateOverlay block = _store.BeginBlock();
        foreach (Address address in _batch)
        {
            Account account = block.GetAccount(address);
            block.SetAccount(address, account.WithNonce(account.Nonce + 1));
        }
    }
}
