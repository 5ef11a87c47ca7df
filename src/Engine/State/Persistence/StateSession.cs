using FASTER.core;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.State.Persistence;

/// <summary>
/// One FASTER client session with typed operations on the state records. A session is used by one thread at a time.
/// </summary>
internal sealed class StateSession : INodeSource, IDisposable
{
    private readonly ClientSession<StateKey, StateValue, StateValue, StateValue, Empty, SimpleFunctions<StateKey, StateValue>> _session;

    public StateSession(FasterKV<StateKey, StateValue> store)
    {
        _session = store.For(new SimpleFunctions<StateKey, StateValue>()).NewSession<SimpleFunctions<StateKey, StateValue>>();
    }

    public bool TryReadAccount(in Address address, out Account account, out Hash256 key)
    {
        StateKey recordKey = StateKey.Account(address);
        if (!Read(ref recordKey, out StateValue value))
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
        Upsert(ref recordKey, ref value);
    }

    public void DeleteAccount(in Address address)
    {
        StateKey recordKey = StateKey.Account(address);
        Delete(ref recordKey);
    }

    public bool TryReadStorage(in Address address, in Hash256 slot, out Hash256 value, out Hash256 key)
    {
        StateKey recordKey = StateKey.Storage(address, slot);
        if (!Read(ref recordKey, out StateValue record))
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
        Upsert(ref recordKey, ref record);
    }

    public void DeleteStorage(in Address address, in Hash256 slot)
    {
        StateKey recordKey = StateKey.Storage(address, slot);
        Delete(ref recordKey);
    }

    public bool TryReadPreimage(in Hash256 owner, in Hash256 key, out Hash256 preimage)
    {
        StateKey recordKey = StateKey.Preimage(owner, key);
        bool found = Read(ref recordKey, out StateValue value);
        preimage = value.W0;
        return found;
    }

    public void WritePreimage(in Hash256 owner, in Hash256 key, in Hash256 preimage)
    {
        StateKey recordKey = StateKey.Preimage(owner, key);
        var value = new StateValue { W0 = preimage };
        Upsert(ref recordKey, ref value);
    }

    public void DeletePreimage(in Hash256 owner, in Hash256 key)
    {
        StateKey recordKey = StateKey.Preimage(owner, key);
        Delete(ref recordKey);
    }

    /// <summary>Bytes of code one record holds (its four 32-byte words).</summary>
    public const int CodeChunkSize = 4 * Hash256.Size;

    /// <summary>The code stored under <paramref name="codeHash"/>, or null when there is none.</summary>
    public byte[]? TryReadCode(in Hash256 codeHash)
    {
        StateKey recordKey = StateKey.Code(codeHash, 0);
        if (!Read(ref recordKey, out StateValue value)) return null;
        // The length came from our own write; a record claiming more than int.MaxValue bytes means a corrupted store.
        if (value.X > int.MaxValue) throw new InvalidDataException($"the code record of {codeHash} claims {value.X} bytes");
        byte[] code = new byte[(int)value.X];
        Span<byte> bytes = stackalloc byte[CodeChunkSize];
        for (int chunk = 0, offset = 0; offset < code.Length; chunk++, offset += CodeChunkSize)
        {
            if (chunk > 0)
            {
                recordKey = StateKey.Code(codeHash, chunk);
                if (!Read(ref recordKey, out value)) throw new InvalidDataException($"the code of {codeHash} lacks chunk {chunk}");
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
            Upsert(ref recordKey, ref value);
            chunk++;
            offset += length;
        }
        while (offset < code.Length);
    }

    public bool TryReadMeta(out StateMeta meta)
    {
        StateKey recordKey = StateKey.Meta();
        bool found = Read(ref recordKey, out StateValue value);
        meta = new StateMeta(value.X, value.W0.ToUInt256(), value.W1);
        return found;
    }

    public void WriteMeta(ulong blockNumber, in Hash256 stateRoot)
    {
        StateKey recordKey = StateKey.Meta();
        var value = new StateValue { X = StateMeta.CurrentFormat, W0 = Hash256.FromUInt256(new UInt256(blockNumber)), W1 = stateRoot };
        Upsert(ref recordKey, ref value);
    }

    public bool TryReadNode(in NodeKey key, out NodeEntry entry)
    {
        StateKey recordKey = StateKey.Node(key.Owner, key.Path);
        if (!Read(ref recordKey, out StateValue value))
        {
            entry = default;
            return false;
        }
        entry = new NodeEntry { Hash = value.W0, LeafKey = value.W1, Kind = (NodeKind)value.X };
        return true;
    }

    public void WriteNode(in NodeKey key, in NodeEntry entry)
    {
        StateKey recordKey = StateKey.Node(key.Owner, key.Path);
        var value = new StateValue { X = (ulong)entry.Kind, W0 = entry.Hash, W1 = entry.LeafKey };
        Upsert(ref recordKey, ref value);
    }

    public void DeleteNode(in NodeKey key)
    {
        StateKey recordKey = StateKey.Node(key.Owner, key.Path);
        Delete(ref recordKey);
    }

    public void Dispose() => _session.Dispose();

    private bool Read(ref StateKey key, out StateValue value)
    {
        StateValue input = default;
        StateValue output = default;
        Status status = _session.Read(ref key, ref input, ref output);
        if (status.IsPending)
        {
            // The record is on disk (below the in-memory part of the log): wait for this one read.
            _session.CompletePendingWithOutputs(out CompletedOutputIterator<StateKey, StateValue, StateValue, StateValue, Empty> outputs, wait: true);
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

    private void Upsert(ref StateKey key, ref StateValue value)
    {
        Status status = _session.Upsert(ref key, ref value);
        if (status.IsPending) _session.CompletePending(wait: true);
        else if (status.IsFaulted) ThrowFaulted("write");
    }

    private void Delete(ref StateKey key)
    {
        Status status = _session.Delete(ref key);
        if (status.IsPending) _session.CompletePending(wait: true);
        else if (status.IsFaulted) ThrowFaulted("delete");
    }

    [DoesNotReturn]
    private static void ThrowLostRead() => throw new IOException("a pending FASTER read completed without a result");

    [DoesNotReturn]
    private static void ThrowFaulted(string operation) => throw new IOException($"FASTER {operation} failed (device error)");
}
