namespace NexusFast.Engine.Mempool;

/// <summary>
/// The pool's eviction candidates (each sender's highest-nonce entry) as a binary min-heap in <see cref="EvictionOrder"/>,
/// each entry knowing its own position so that removing one is O(log n). Unlike a SortedSet, adding allocates
/// nothing once the array has grown to the pool's size.
/// </summary>
internal sealed class EvictionHeap
{
    private PoolEntry[] _items = new PoolEntry[64];

    public int Count { get; private set; }

    public PoolEntry Min => Count > 0 ? _items[0] : throw new InvalidOperationException("the eviction heap is empty");

    public void Add(PoolEntry entry)
    {
        if (entry.HeapIndex >= 0) throw new InvalidOperationException("the entry is already in the eviction heap");
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        Place(entry, Count++);
        SiftUp(entry.HeapIndex);
    }

    public void Remove(PoolEntry entry)
    {
        int index = entry.HeapIndex;
        if (index < 0 || index >= Count || !ReferenceEquals(_items[index], entry)) return;
        entry.HeapIndex = -1;
        PoolEntry last = _items[--Count];
        _items[Count] = null!;
        if (index == Count) return;
        Place(last, index);
        SiftUp(index);
        SiftDown(last.HeapIndex);
    }

    public bool Contains(PoolEntry entry) =>
        entry.HeapIndex >= 0 && entry.HeapIndex < Count && ReferenceEquals(_items[entry.HeapIndex], entry);

    /// <summary>Throws unless every parent orders before its children (tests, through TxPool.CheckConsistency).</summary>
    public void CheckOrder()
    {
        for (int i = 1; i < Count; i++)
        {
            if (EvictionOrder.Instance.Compare(_items[(i - 1) / 2], _items[i]) > 0)
                throw new InvalidOperationException($"eviction heap out of order at {i}");
        }
    }

    public void Clear()
    {
        for (int i = 0; i < Count; i++) _items[i].HeapIndex = -1;
        Array.Clear(_items, 0, Count);
        Count = 0;
    }

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (EvictionOrder.Instance.Compare(_items[index], _items[parent]) >= 0) return;
            Swap(index, parent);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            int smallest = index, left = 2 * index + 1, right = left + 1;
            if (left < Count && EvictionOrder.Instance.Compare(_items[left], _items[smallest]) < 0) smallest = left;
            if (right < Count && EvictionOrder.Instance.Compare(_items[right], _items[smallest]) < 0) smallest = right;
            if (smallest == index) return;
            Swap(index, smallest);
            index = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        PoolEntry first = _items[a];
        Place(_items[b], a);
        Place(first, b);
    }

    private void Place(PoolEntry entry, int index)
    {
        _items[index] = entry;
        entry.HeapIndex = index;
    }
}
