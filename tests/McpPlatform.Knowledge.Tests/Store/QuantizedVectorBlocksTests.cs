using System.Numerics.Tensors;
using McpPlatform.Knowledge.Store.Embedded;

namespace McpPlatform.Knowledge.Tests.Store;

/// <summary>The embedded store's vector storage on its own: slot reuse, and that the int8 prefilter never changes the exact top-K.</summary>
public sealed class QuantizedVectorBlocksTests
{
    // Not a multiple of 16, so the int8 dot product's scalar tail runs too.
    private const int Dimensions = 100;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Add_AfterFree_ReusesTheFreedSlotAndSearchSkipsTheOldOwner()
    {
        var blocks = new QuantizedVectorBlocks<Owner>(Dimensions);
        var a = TestVectors.Random(1, Dimensions);
        var b = TestVectors.Random(2, Dimensions);
        var c = TestVectors.Random(3, Dimensions);
        var d = TestVectors.Random(4, Dimensions);
        blocks.Add(a, new Owner(0)).ShouldBe(0);
        blocks.Add(b, new Owner(1)).ShouldBe(1);
        blocks.Add(c, new Owner(2)).ShouldBe(2);

        blocks.Free(1);

        blocks.Add(d, new Owner(3)).ShouldBe(1);
        blocks.Add(b, new Owner(4)).ShouldBe(3);
        blocks.Vector(1).ToArray().ShouldBe(d);
        blocks.Vector(0).ToArray().ShouldBe(a);
        Search(blocks, b, 10, new OwnerFilter(null)).Select(o => o.Id).Order().ShouldBe([0, 2, 3, 4]);
        Search(blocks, d, 1, new OwnerFilter(null)).Single().Id.ShouldBe(3);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(10, false)]
    [InlineData(60, false)]
    [InlineData(10, true)]
    public void Search_NearDuplicatesAcrossBlocks_EqualsBruteForceRanking(int topK, bool evenOnly)
    {
        // Near-duplicates score within the int8 error bound of each other, so only the float
        // rescoring can order them; 2600 slots span three blocks, and some are freed.
        var random = new Random(11);
        var centroids = Enumerable.Range(0, 5).Select(i => TestVectors.Random(100 + i, Dimensions)).ToArray();
        var blocks = new QuantizedVectorBlocks<Owner>(Dimensions);
        var vectors = new List<(Owner Owner, float[] Vector, int Slot)>();
        for (var id = 0; id < 2600; id++)
        {
            var vector = id % 3 == 0 ? TestVectors.Random(random.Next(), Dimensions) : Jitter(centroids[random.Next(centroids.Length)], random, 0.01f);
            var owner = new Owner(id);
            vectors.Add((owner, vector, blocks.Add(vector, owner)));
        }

        foreach (var freed in vectors.Where(v => v.Owner.Id % 7 == 3).ToList())
        {
            blocks.Free(freed.Slot);
            vectors.Remove(freed);
        }

        var filter = new OwnerFilter(evenOnly ? id => id % 2 == 0 : null);
        for (var q = 0; q < 20; q++)
        {
            var query = q % 4 == 0 ? TestVectors.Random(5000 + q, Dimensions) : Jitter(centroids[q % centroids.Length], random, 0.02f);
            var expected = vectors
                .Where(v => filter.Includes(v.Owner))
                .Select(v => (v.Owner.Id, Score: TensorPrimitives.Dot(v.Vector, query)))
                .OrderByDescending(v => v.Score).ThenBy(v => v.Id)
                .Take(topK)
                .Select(v => v.Id);

            Search(blocks, query, topK, filter).Select(o => o.Id).ShouldBe(expected);
        }
    }

    private static List<Owner> Search(QuantizedVectorBlocks<Owner> blocks, float[] query, int topK, OwnerFilter filter)
    {
        var best = new PriorityQueue<Owner, float>();
        blocks.Search(blocks.Prepare(query), topK, ref filter, best, Cancel);
        var found = new List<(Owner Owner, float Score)>();
        while (best.TryDequeue(out var owner, out var score))
        {
            found.Add((owner, score));
        }

        return [.. found.OrderByDescending(f => f.Score).ThenBy(f => f.Owner.Id).Select(f => f.Owner)];
    }

    private static float[] Jitter(float[] vector, Random random, float amount)
    {
        var result = vector.Select(v => v + (amount * (float)((random.NextDouble() * 2) - 1))).ToArray();
        var norm = TensorPrimitives.Norm(result);
        TensorPrimitives.Divide(result, norm, result);
        return result;
    }

    private sealed record Owner(int Id);

    private readonly struct OwnerFilter(Func<int, bool>? includes) : QuantizedVectorBlocks<Owner>.IOwnerFilter
    {
        public bool Includes(Owner owner) => includes?.Invoke(owner.Id) ?? true;
    }
}
