namespace RouterFunctions.Core.Embeddings;

/// <summary>The per-instance tier: a bounded least-recently-used map, safe for concurrent requests.</summary>
public sealed class LruEmbeddingCache : IEmbeddingCache
{
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<(string Key, float[] Vector)>> _map;
    private readonly LinkedList<(string Key, float[] Vector)> _order = new();
    private readonly Lock _gate = new();

    public LruEmbeddingCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _map = new Dictionary<string, LinkedListNode<(string, float[])>>(capacity, StringComparer.Ordinal);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    public float[]? Get(string key)
    {
        lock (_gate)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Vector;
        }
    }

    public void Set(string key, float[] vector)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _order.Remove(existing);
            }
            else if (_map.Count >= _capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
            }

            _map[key] = _order.AddFirst((key, vector));
        }
    }

    public ValueTask<float[]?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(Get(key));

    public ValueTask SetAsync(string key, float[] vector, CancellationToken cancellationToken)
    {
        Set(key, vector);
        return ValueTask.CompletedTask;
    }
}
