using System.Buffers;
using System.Numerics.Tensors;

namespace McpPlatform.Knowledge.Store.Embedded;

/// <summary>
/// Every chunk vector of one partition in fixed-size blocks (float and int8 copies), each slot
/// tagged with the owner that put it there, and the exact top-K search over them (see
/// <see cref="Search"/>). Not thread-safe: the caller serialises access (<see cref="EmbeddedPartition"/>
/// holds its read lock to search or read a vector and its write lock to add or free slots).
/// </summary>
/// <typeparam name="TOwner">What a slot belongs to; search results are reported as owners.</typeparam>
internal sealed class QuantizedVectorBlocks<TOwner>
    where TOwner : class
{
    // 1024 slots × 384 floats = 1.5 MiB per block: large enough for long SIMD runs, small enough
    // that growth never copies the whole matrix.
    private const int BlockSlots = 1024;

    private readonly int _dimensions;
    private readonly List<float[]> _vectors = [];
    private readonly List<sbyte[]> _quantized = [];
    private readonly List<QuantizedInfo[]> _quantizedInfo = [];
    private readonly List<TOwner?[]> _owners = [];
    private readonly Stack<int> _freeSlots = new();
    private int _highWater;

    public QuantizedVectorBlocks(int dimensions) => _dimensions = dimensions;

    /// <summary>
    /// Which owners a search considers. Implemented by a struct and passed by reference, so the
    /// search is specialised for it: no delegate call or allocation per candidate, and the filter
    /// can keep state across candidates (slots are visited in ascending order).
    /// </summary>
    public interface IOwnerFilter
    {
        bool Includes(TOwner owner);
    }

    /// <summary>A search query and its int8 copy.</summary>
    public readonly record struct PreparedQuery(float[] Exact, sbyte[] Quantized, QuantizedInfo Info);

    /// <summary>Quantizes <paramref name="query"/> (length = dimensions) for <see cref="Search"/>; needs no lock.</summary>
    public PreparedQuery Prepare(float[] query)
    {
        var quantized = new sbyte[_dimensions];
        var info = Int8Quantizer.Quantize(query, quantized);
        return new PreparedQuery(query, quantized, info);
    }

    /// <summary>Stores <paramref name="vector"/> (length = dimensions) in a free slot owned by <paramref name="owner"/>.</summary>
    /// <returns>The slot, for <see cref="Free"/> and <see cref="Vector"/>.</returns>
    public int Add(ReadOnlySpan<float> vector, TOwner owner)
    {
        var slot = AllocateSlot();
        var block = slot / BlockSlots;
        var offset = (slot % BlockSlots) * _dimensions;
        vector.CopyTo(_vectors[block].AsSpan(offset, _dimensions));
        _quantizedInfo[block][slot % BlockSlots] = Int8Quantizer.Quantize(vector, _quantized[block].AsSpan(offset, _dimensions));
        _owners[block][slot % BlockSlots] = owner;
        return slot;
    }

    /// <summary>Makes <paramref name="slot"/> free for reuse; search skips it from now on.</summary>
    public void Free(int slot)
    {
        _owners[slot / BlockSlots][slot % BlockSlots] = null;
        _freeSlots.Push(slot);
    }

    public ReadOnlyMemory<float> Vector(int slot) =>
        new(_vectors[slot / BlockSlots], (slot % BlockSlots) * _dimensions, _dimensions);

    public void Clear()
    {
        _vectors.Clear();
        _quantized.Clear();
        _quantizedInfo.Clear();
        _owners.Clear();
        _freeSlots.Clear();
        _highWater = 0;
    }

    /// <summary>
    /// Exact top-K in two passes. Pass 1 scores every live chunk with int8 copies (a quarter of
    /// the memory traffic of floats, which is what bounds a scan of 100k × 384 floats) and keeps,
    /// per chunk, an upper bound of its exact score, plus the K-th largest lower bound L. Pass 2
    /// rescores in float only the chunks whose upper bound reaches L. Every true top-K chunk is
    /// among them: K chunks score at least L, so the K-th best exact score is at least L, and a
    /// chunk's upper bound is at least its exact score (<see cref="Int8Quantizer"/>).
    /// </summary>
    /// <param name="query">From <see cref="Prepare"/>.</param>
    /// <param name="topK">How many owners to keep.</param>
    /// <param name="filter">Decides which owners are candidates.</param>
    /// <param name="best">Empty; receives the top <paramref name="topK"/> owners by exact score, worst first when dequeued.</param>
    /// <param name="cancellationToken">Checked once per block.</param>
    public void Search<TFilter>(in PreparedQuery query, int topK, ref TFilter filter, PriorityQueue<TOwner, float> best, CancellationToken cancellationToken)
        where TFilter : struct, IOwnerFilter
    {
        var exactQuery = query.Exact;
        var quantizedQuery = query.Quantized;
        var queryInfo = query.Info;
        var upper = ArrayPool<float>.Shared.Rent(Math.Max(1, _highWater));
        try
        {
            var lowest = new PriorityQueue<float, float>(topK + 1);
            var threshold = float.NegativeInfinity;
            for (var block = 0; block * BlockSlots < _highWater; block++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var quantized = _quantized[block];
                var infos = _quantizedInfo[block];
                var owners = _owners[block];
                var count = Math.Min(BlockSlots, _highWater - (block * BlockSlots));
                for (var i = 0; i < count; i++)
                {
                    var slot = (block * BlockSlots) + i;
                    var owner = owners[i];
                    if (owner is null || !filter.Includes(owner))
                    {
                        upper[slot] = float.NaN;
                        continue;
                    }

                    var info = infos[i];
                    var approximate = Int8Quantizer.Dot(new ReadOnlySpan<sbyte>(quantized, i * _dimensions, _dimensions), quantizedQuery)
                        * queryInfo.Inverse * info.Inverse;
                    var bound = info.Error + (queryInfo.Error * info.Norm) + Int8Quantizer.RoundingSlack;
                    upper[slot] = approximate + bound;
                    var lower = approximate - bound;
                    if (lowest.Count < topK)
                    {
                        lowest.Enqueue(lower, lower);
                        threshold = lowest.Count == topK ? lowest.Peek() : float.NegativeInfinity;
                    }
                    else if (lower > threshold)
                    {
                        lowest.DequeueEnqueue(lower, lower);
                        threshold = lowest.Peek();
                    }
                }
            }

            for (var slot = 0; slot < _highWater; slot++)
            {
                // NaN (free or filtered out) fails this comparison too.
                if (!(upper[slot] >= threshold))
                {
                    continue;
                }

                var block = slot / BlockSlots;
                var i = slot % BlockSlots;
                var score = TensorPrimitives.Dot(new ReadOnlySpan<float>(_vectors[block], i * _dimensions, _dimensions), exactQuery);
                if (best.Count < topK)
                {
                    best.Enqueue(_owners[block][i]!, score);
                }
                else if (best.TryPeek(out _, out var worst) && score > worst)
                {
                    best.DequeueEnqueue(_owners[block][i]!, score);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(upper);
        }
    }

    private int AllocateSlot()
    {
        // Reusing the lowest free slots would keep the scan shorter, but a stack is O(1) and
        // the scan skips free slots at the cost of one null check each.
        if (_freeSlots.TryPop(out var slot))
        {
            return slot;
        }

        if (_highWater == _vectors.Count * BlockSlots)
        {
            _vectors.Add(new float[BlockSlots * _dimensions]);
            _quantized.Add(new sbyte[BlockSlots * _dimensions]);
            _quantizedInfo.Add(new QuantizedInfo[BlockSlots]);
            _owners.Add(new TOwner?[BlockSlots]);
        }

        return _highWater++;
    }
}
