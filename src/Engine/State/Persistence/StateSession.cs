using FASTER.core;
using Session = FASTER.core.ClientSession<NexusFast.Engine.State.Persistence.StateKey, NexusFast.Engine.State.Persistence.StateValue, NexusFast.Engine.State.Persistence.StateValue, NexusFast.Engine.State.Persistence.StateValue, FASTER.core.Empty, FASTER.core.SimpleFunctions<NexusFast.Engine.State.Persistence.StateKey, NexusFast.Engine.State.Persistence.StateValue>>;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.State.Persistence;

/// <summary>
/// One FASTER client session on each store (<see cref="StateDatabase"/>) with typed operations on the state records:
/// accounts, storage, code and metadata go to the record store, tree nodes and preimages to the tree store. A session
/// is used by one thread at a time.
/// </summary>
internal sealed class StateSession : INodeSource, IDisposable
{
    private readonly Session _session;
    private readonly Session _treeSession;

    public StateSession(FasterKV<StateKey, StateValue> store, FasterKV<StateKey, StateValue> treeStore)
    {
        _session = store.For(new SimpleFunctions<StateKey, StateValue>()).NewSession<SimpleFunctions<StateKey, StateValue>>();
        _treeSession = treeStore.For(new SimpleFunctions<StateKey, StateValue>()).NewSession<SimpleFunctions<StateKey, StateValue>>();
    }

    public bool TryReadAccount(in Address address, out Account account, out Hash256 key)
    {
        StateKey recordKey = StateKey.Account(address);
        if (!Read(_session, ref recordKey, out StateValue value))
        {
            account = Account.Empty;
            key = default;
            return false;
        }
        account = new Account(value.X, value.W0.ToUInt256(), value.W1, value.W2);
        key = value.W3;
        return true;
    }

    public void WriteAccount(in Address address, in Account account, in Hash256 key)
    {
        StateKey recordKey = StateKey.Account(address);
        var value = new StateValue
        {
            X = account.Nonce,
            W0 = Hash256.FromUInt256(account.Balance),
            W1 = account.CodeHash,
            W2 = account.StorageRoot,
            W3 = key,
        };
        Upsert(_session, ref recordKey, ref value);
    }

    public void DeleteAccount(in Address address)
    {
        StateKey recordKey = StateKey.Account(address);
        Delete(_session, ref recordKey);
    }

    public bool TryReadStorage(in Address address, in Hash256 slot, out Hash256 value, out Hash256 key)
    {
        StateKey recordKey = StateKey.Storage(address, slot);
        if (!Read(_session, ref recordKey, out StateValue record))
        {
            value = default;
            key = default;
            return false;
        }
        value = record.W0;
        key = record.W3;
        return true;
    }

    public void WriteStorage(in Address address, in Hash256 slot, in Hash256 value, in Hash256 key)
    {
        StateKey recordKey = StateKey.Storage(address, slot);
        var record = new StateValue { W0 = value, W3 = key };
        Upsert(_session, ref recordKey, ref record);
    }

    public void DeleteStorage(in Address address, in Hash256 slot)
    {
        StateKey recordKey = StateKey.Storage(address, slot);
        Delete(_session, ref recordKey);
    }

    public bool TryReadPreimage(in Hash256 owner, in Hash256 key, out Hash256 preimage)
    {
        StateKey recordKey = StateKey.Preimage(owner, key);
        bool found = Read(_treeSession, ref recordKey, out StateValue value);
        preimage = value.W0;
        return found;
    }

    public void WritePreimage(in Hash256 owner, in Hash256 key, in Hash256 preimage)
    {
        StateKey recordKey = StateKey.Preimage(owner, key);
        var value = new StateValue { W0 = preimage };
        Upsert(_treeSession, ref recordKey, ref value);
    }

    public void DeletePreimage(in Hash256 owner, in Hash256 key)
    {
        StateKey recordKey = StateKey.Preimage(owner, key);
        Delete(_treeSession, ref recordKey);
    }

    /// <summary>Bytes of code one record holds (its four 32-byte words).</summary>
    public const int CodeChunkSize = 4 * Hash256.Size;

    /// <summary>The code stored under <paramref name="codeHash"/>, or null when there is none.</summary>
    public byte[]? TryReadCode(in Hash256 codeHash)
    {
        StateKey recordKey = StateKey.Code(codeHash, 0);
        if (!Read(_session, ref recordKey, out StateValue value)) return null;
        // The length came from our own write; a record claiming more than int.MaxValue bytes means a corrupted store.
        if (value.X > int.MaxValue) throw new InvalidDataException($"the code record of {codeHash} claims {value.X} bytes");
        byte[] code = new byte[(int)value.X];
        Span<byte> bytes = stackalloc byte[CodeChunkSize];
        for (int chunk = 0, offset = 0; offset < code.Length; chunk++, offset += CodeChunkSize)
        {
            if (chunk > 0)
            {
                recordKey = StateKey.Code(codeHash, chunk);
                if (!Read(_session, ref recordKey, out value)) throw new InvalidDataException($"the code of {codeHash} lacks chunk {chunk}");
            }
            value.W0.CopyTo(bytes);
            value.W1.CopyTo(bytes[32..]);
            value.W2.CopyTo(bytes[64..]);
            value.W3.CopyTo(bytes[96..]);
            int length = Math.Min(CodeChunkSize, code.Length - offset);
            bytes[..length].CopyTo(code.AsSpan(offset));
        }
        return code;
    }

    /// <summary>Stores code under its hash in chunks of <see cref="CodeChunkSize"/> bytes (rewriting the same code is harmless).</summary>
    public void WriteCode(in Hash256 codeHash, ReadOnlySpan<byte> code)
    {
        Span<byte> bytes = stackalloc byte[CodeChunkSize];
        int chunk = 0;
        int offset = 0;
        do
        {
            bytes.Clear();
            int length = Math.Min(CodeChunkSize, code.Length - offset);
            code.Slice(offset, length).CopyTo(bytes);
            StateKey recordKey = StateKey.Code(codeHash, chunk);
            var value = new StateValue
            {
                X = chunk == 0 ? (ulong)code.Length : 0,
                W0 = new Hash256(bytes[..32]),
                W1 = new Hash256(bytes[32..64]),
                W2 = new Hash256(bytes[64..96]),
                W3 = new Hash256(bytes[96..]),
            };
            Upsert(_session, ref recordKey, ref value);
            chunk++;
            offset += length;
        }
        while (offset < code.Length);
    }

    public bool TryReadMeta(out StateMeta meta)
    {
        StateKey recordKey = StateKey.Meta();
        bool found = Read(_session, ref recordKey, out StateValue value);
        meta = new StateMeta(value.X, value.W0.ToUInt256(), value.W1);
        return found;
    }

    public void WriteMeta(ulong blockNumber, in Hash256 stateRoot)
    {
        StateKey recordKey = StateKey.Meta();
        var value = new StateValue { X = StateMeta.CurrentFormat, W0 = Hash256.FromUInt256(new UInt256(blockNumber)), W1 = stateRoot };
        Upsert(_session, ref recordKey, ref value);
    }

    public bool TryReadNode(in NodeKey key, out NodeEntry entry)
    {
        StateKey recordKey = StateKey.Node(key.Owner, key.Path);
        if (!Read(_treeSession, ref recordKey, out StateValue value))
        {
            entry = default;
            return false;
        }
        entry = new NodeEntry { Hash = value.W0, LeafKey = value.W1, Kind = (NodeKind)value.X };
        return true;
    }

    public void ReadNodes(ReadOnlySpan<NodeKey> keys, Span<NodeEntry> entries)
    {
        if (entries.Length < keys.Length) throw new ArgumentException($"{entries.Length} entries for {keys.Length} keys", nameof(entries));
        for (int i = 0; i < keys.Length; i++)
        {
            StateKey recordKey = StateKey.Node(keys[i].Owner, keys[i].Path);
            // The input carries the index back with a read that completes later (the read itself ignores it).
            var input = new StateValue { X = (ulong)i };
            StateValue output = default;
            Status status = _treeSession.Read(ref recordKey, ref input, ref output);
            if (status.IsPending) continue;
            if (status.IsFaulted) ThrowFaulted("read");
            entries[i] = status.Found ? ToNodeEntry(output) : default;
        }
        _treeSession.CompletePendingWithOutputs(out CompletedOutputIterator<StateKey, StateValue, StateValue, StateValue, Empty> outputs, wait: true);
        using (outputs)
        {
            while (outputs.Next())
            {
                ref CompletedOutput<StateKey, StateValue, StateValue, StateValue, Empty> completed = ref outputs.Current;
                if (completed.Status.IsFaulted) ThrowFaulted("read");
                entries[(int)completed.Input.X] = completed.Status.Found ? ToNodeEntry(completed.Output) : default;
            }
        }
    }

    private static NodeEntry ToNodeEntry(in StateValue value) => new() { Hash = value.W0, LeafKey = value.W1, Kind = (NodeKind)value.X };

    public void WriteNode(in NodeKey key, in NodeEntry entry)
    {
        StateKey recordKey = StateKey.Node(key.Owner, key.Path);
        var value = new StateValue { X = (ulong)entry.Kind, W0 = entry.Hash, W1 = entry.LeafKey };
        Upsert(_treeSession, ref recordKey, ref value);
    }

    public void DeleteNode(in NodeKey key)
    {
        StateKey recordKey = StateKey.Node(key.Owner, key.Path);
        Delete(_treeSession, ref recordKey);
    }

    public void Dispose()
    {
        _session.Dispose();
        _treeSession.Dispose();
    }

    private static bool Read(Session session, ref StateKey key, out StateValue value)
    {
        StateValue input = default;
        StateValue output = default;
        Status status = session.Read(ref key, ref input, ref output);
        if (status.IsPending)
        {
            // The record is on disk (below the in-memory part of the log): wait for this one read.
            session.CompletePendingWithOutputs(out CompletedOutputIterator<StateKey, StateValue, StateValue, StateValue, Empty> outputs, wait: true);
            using (outputs)
            {
                if (!outputs.Next()) ThrowLostRead();
                status = outputs.Current.Status;
                output = outputs.Current.Output;
            }
        }
        if (status.IsFaulted) ThrowFaulted("read");
        value = output;
        return status.Found;
    }

    private static void Upsert(Session session, ref StateKey key, ref StateValue value)
    {
        Status status = session.Upsert(ref key, ref value);
        if (status.IsPending) session.CompletePending(wait: true);
        else if (status.IsFaulted) ThrowFaulted("write");
    }

    private static void Delete(Session session, ref StateKey key)
    {
        Status status = session.Delete(ref key);
        if (status.IsPending) session.CompletePending(wait: true);
        else if (status.IsFaulted) ThrowFaulted("delete");
    }

    [DoesNotReturn]
    private static void ThrowLostRead() => throw new IOException("a pending FASTER read completed without a result");

    [DoesNotReturn]
    private static void ThrowFaulted(string operation) => throw new IOException($"FASTER {operation} failed (device error)");
}
