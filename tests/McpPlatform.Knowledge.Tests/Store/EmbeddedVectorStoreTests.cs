using McpPlatform.Knowledge.Store;

namespace McpPlatform.Knowledge.Tests.Store;

/// <summary>What only the embedded store has: its files, crash recovery, locking, compaction, capacity.</summary>
public sealed class EmbeddedVectorStoreTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reopen_LogTruncatedMidRecord_KeepsEarlierDocumentsAndCutsTheTornOne()
    {
        await using var harness = new EmbeddedHarness();
        var tenant = await harness.NewTenantAsync();
        await using (var scope = await harness.Store.OpenAsync(tenant, Cancel))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document("first", 2, 1), Cancel);
            await scope.UpsertDocumentAsync(TestVectors.Document("second", 3, 2), Cancel);
            await scope.UpsertDocumentAsync(TestVectors.Document("torn", 2, 3), Cancel);
        }

        harness.Embedded.Dispose();
        var log = harness.LogPathOf(tenant);
        var intactLength = new FileInfo(log).Length;
        using (var file = new FileStream(log, FileMode.Open, FileAccess.Write))
        {
            // Cut into the middle of the last record, as a crash during its write would.
            file.SetLength(intactLength - 700);
        }

        await harness.ReopenAsync();

        await using var reopened = await harness.Store.OpenAsync(tenant, Cancel);
        (await reopened.ListDocumentsAsync(10, cancellationToken: Cancel)).Documents.Select(d => d.DocumentId).Order().ShouldBe(["first", "second"]);
        (await reopened.GetDocumentAsync("second", Cancel))!.Chunks.Count.ShouldBe(3);
        Directory.GetFiles(Path.GetDirectoryName(log)!, "vectors.log.torn-*").ShouldHaveSingleItem();
        await reopened.UpsertDocumentAsync(TestVectors.Document("after-recovery", 1, 4), Cancel);
        await harness.ReopenAsync();
        await using var again = await harness.Store.OpenAsync(tenant, Cancel);
        (await again.ListDocumentsAsync(10, cancellationToken: Cancel)).Documents.Select(d => d.DocumentId).Order().ShouldBe(["after-recovery", "first", "second"]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(5000)]
    public async Task Reopen_GarbageAfterLastRecord_IsCutOff(int garbageBytes)
    {
        await using var harness = new EmbeddedHarness();
        var tenant = await harness.NewTenantAsync();
        await using (var scope = await harness.Store.OpenAsync(tenant, Cancel))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document("only", 2, 1), Cancel);
        }

        harness.Embedded.Dispose();
        var log = harness.LogPathOf(tenant);
        var length = new FileInfo(log).Length;
        var garbage = new byte[garbageBytes];
        new Random(garbageBytes).NextBytes(garbage);
        await File.AppendAllBytesAsync(log, garbage, Cancel);

        await harness.ReopenAsync();

        await using var reopened = await harness.Store.OpenAsync(tenant, Cancel);
        (await reopened.GetDocumentAsync("only", Cancel)).ShouldNotBeNull();
        new FileInfo(log).Length.ShouldBe(length);
    }

    [Fact]
    public async Task Reopen_LastRecordWithFlippedByte_FailsChecksumAndIsCut()
    {
        await using var harness = new EmbeddedHarness();
        var tenant = await harness.NewTenantAsync();
        await using (var scope = await harness.Store.OpenAsync(tenant, Cancel))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document("good", 1, 1), Cancel);
            await scope.UpsertDocumentAsync(TestVectors.Document("flipped", 1, 2), Cancel);
        }

        harness.Embedded.Dispose();
        var log = harness.LogPathOf(tenant);
        var bytes = await File.ReadAllBytesAsync(log, Cancel);
        bytes[^10] ^= 0x40;
        await File.WriteAllBytesAsync(log, bytes, Cancel);

        await harness.ReopenAsync();

        await using var reopened = await harness.Store.OpenAsync(tenant, Cancel);
        (await reopened.GetDocumentAsync("good", Cancel)).ShouldNotBeNull();
        (await reopened.GetDocumentAsync("flipped", Cancel)).ShouldBeNull();
    }

    [Fact]
    public async Task Open_SameFolderFromSecondStore_IsRefusedWhileFirstHoldsIt()
    {
        await using var harness = new EmbeddedHarness();
        var tenant = await harness.NewTenantAsync();
        await using (await harness.Store.OpenAsync(tenant, Cancel))
        {
        }

        using var second = harness.CreateSecondStore();
        var error = await Should.ThrowAsync<KnowledgeStoreException>(async () => await second.OpenAsync(tenant, Cancel));

        error.Kind.ShouldBe(KnowledgeStoreErrorKind.Locked);
        harness.Embedded.Dispose();
        await using var scope = await second.OpenAsync(tenant, Cancel);
        (await scope.ListDocumentsAsync(1, cancellationToken: Cancel)).Documents.ShouldBeEmpty();
    }

    [Fact]
    public async Task Open_LogWrittenWithOtherDimensions_FailsNamingBoth()
    {
        await using var harness = new EmbeddedHarness();
        var tenant = await harness.NewTenantAsync();
        await using (var scope = await harness.Store.OpenAsync(tenant, Cancel))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document("x", 1, 1), Cancel);
        }

        harness.Embedded.Dispose();
        using var other = harness.CreateSecondStore(dimensions: 768);

        var error = await Should.ThrowAsync<KnowledgeStoreException>(async () => await other.OpenAsync(tenant, Cancel));

        error.Kind.ShouldBe(KnowledgeStoreErrorKind.Corrupt);
        error.Message.ShouldContain("384");
        error.Message.ShouldContain("768");
    }

    [Fact]
    public async Task Folders_AreNamedByOpaqueKeys_NotTenantIds()
    {
        await using var harness = new EmbeddedHarness();
        var tenant = await harness.NewTenantAsync("contoso-data");
        await using (var scope = await harness.Store.OpenAsync(tenant, Cancel))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document("x", 1, 1), Cancel);
        }

        var folder = Directory.GetDirectories(harness.Root).ShouldHaveSingleItem();
        Path.GetFileName(folder).ShouldBe(harness.Keys.KeyForPartition("contoso-data"));
        Path.GetFileName(folder).ShouldNotContain("contoso");
        TenantPartitionKeys.IsKeyShaped(Path.GetFileName(folder)).ShouldBeTrue();
    }

    [Fact]
    public async Task Upsert_RepeatedReplacements_CompactsLogAndKeepsData()
    {
        await using var harness = new EmbeddedHarness();
        var tenant = await harness.NewTenantAsync();
        await using (var scope = await harness.Store.OpenAsync(tenant, Cancel))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document("stable", 2, 1), Cancel);

            // 40 chunks ≈ 62 KiB per record; 8 MiB of garbage needs ~135 replacements.
            for (var round = 0; round < 160; round++)
            {
                await scope.UpsertDocumentAsync(TestVectors.Document("churn", 40, 100 + round, textPrefix: $"round {round}"), Cancel);
            }

            new FileInfo(harness.LogPathOf(tenant)).Length.ShouldBeLessThan(8L << 20);
        }

        await harness.ReopenAsync();

        await using var reopened = await harness.Store.OpenAsync(tenant, Cancel);
        (await reopened.GetDocumentAsync("stable", Cancel))!.Chunks.Count.ShouldBe(2);
        (await reopened.GetDocumentAsync("churn", Cancel))!.Chunks[0].Text.ShouldBe("round 159 chunk 0");
        (await reopened.SearchAsync(TestVectors.ChunkVector(259, 7), 1, cancellationToken: Cancel)).ShouldHaveSingleItem().ChunkIndex.ShouldBe(7);
    }

    [Fact]
    public async Task Upsert_BeyondPartitionCapacity_FailsAndWritesNothing()
    {
        await using var harness = new EmbeddedHarness(maxChunksPerPartition: 5);
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("a", 3, 1), Cancel);

        var error = await Should.ThrowAsync<KnowledgeStoreException>(() => scope.UpsertDocumentAsync(TestVectors.Document("b", 3, 2), Cancel));

        error.Kind.ShouldBe(KnowledgeStoreErrorKind.CapacityExceeded);
        (await scope.GetDocumentAsync("b", Cancel)).ShouldBeNull();
        (await scope.UpsertDocumentAsync(TestVectors.Document("a", 5, 3), Cancel)).Replaced.ShouldBeTrue();
    }

    [Fact]
    public async Task Search_ConcurrentWithReplacements_NeverSeesMixedVersions()
    {
        await using var harness = new EmbeddedHarness();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("doc", 8, 1, textPrefix: "v0"), Cancel);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var writer = Task.Run(async () =>
        {
            for (var version = 1; version <= 60; version++)
            {
                await scope.UpsertDocumentAsync(TestVectors.Document("doc", 8, 1, textPrefix: $"v{version}"), Cancel);
            }
        }, Cancel);
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var searches = 0;
            while (!writer.IsCompleted)
            {
                var hits = await scope.SearchAsync(TestVectors.Random(r + (searches * 7)), 8, cancellationToken: Cancel);
                hits.Count.ShouldBe(8);
                hits.Select(h => h.Text.Split(' ')[0]).Distinct().ShouldHaveSingleItem();
                searches++;
            }

            return searches;
        }, Cancel)).ToArray();

        await writer.WaitAsync(TimeSpan.FromSeconds(60), Cancel);
        var counts = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        counts.Sum().ShouldBeGreaterThan(0);
        (await scope.GetDocumentAsync("doc", Cancel))!.Chunks[0].Text.ShouldBe("v60 chunk 0");
    }

    [Fact]
    public async Task Search_ClusteredVectors_ReturnsExactlyTheBruteForceTopK()
    {
        // Near-duplicate clusters put many scores within the int8 error bound of each other:
        // the prefilter must still never drop a true top-K chunk.
        await using var harness = new EmbeddedHarness();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        var random = new Random(5);
        var centroids = Enumerable.Range(0, 8).Select(i => TestVectors.Random(1000 + i)).ToArray();
        var stored = new List<float[]>();
        for (var d = 0; d < 150; d++)
        {
            var chunks = new List<KnowledgeChunk>();
            for (var c = 0; c < 20; c++)
            {
                var vector = d % 2 == 0 ? Jitter(centroids[random.Next(centroids.Length)], random, 0.02f) : TestVectors.Random(random.Next());
                stored.Add(Normalise(vector));
                chunks.Add(new KnowledgeChunk($"d{d} c{c}", vector));
            }

            await scope.UpsertDocumentAsync(new KnowledgeDocument($"d{d}", "t", chunks), Cancel);
        }

        for (var q = 0; q < 40; q++)
        {
            var query = Normalise(q % 2 == 0 ? Jitter(centroids[q % centroids.Length], random, 0.05f) : TestVectors.Random(50_000 + q));
            var expected = stored.Select(v => v.Zip(query, (a, b) => (double)a * b).Sum()).OrderDescending().Take(25).ToArray();

            var hits = await scope.SearchAsync(query, 25, cancellationToken: Cancel);

            hits.Select(h => (double)h.Score).Zip(expected).ShouldAllBe(pair => Math.Abs(pair.First - pair.Second) < 1e-5);
        }
    }

    private static float[] Jitter(float[] vector, Random random, float amount) =>
        [.. vector.Select(v => v + (amount * (float)((random.NextDouble() * 2) - 1)))];

    private static float[] Normalise(float[] vector)
    {
        var norm = (float)Math.Sqrt(vector.Sum(v => (double)v * v));
        return [.. vector.Select(v => v / norm)];
    }

    [Fact]
    public async Task Deprovision_RemovesFolderAndData()
    {
        await using var harness = new EmbeddedHarness();
        var tenant = await harness.NewTenantAsync();
        (await harness.Embedded.ProvisionAsync(tenant.DataPartition, Cancel)).ShouldBeTrue();
        (await harness.Embedded.ProvisionAsync(tenant.DataPartition, Cancel)).ShouldBeFalse();
        await using (var scope = await harness.Store.OpenAsync(tenant, Cancel))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document("x", 1, 1), Cancel);
        }

        (await harness.Embedded.DeprovisionAsync(tenant.DataPartition, Cancel)).ShouldBeTrue();

        Directory.GetDirectories(harness.Root).ShouldBeEmpty();
        await using var fresh = await harness.Store.OpenAsync(tenant, Cancel);
        (await fresh.GetDocumentAsync("x", Cancel)).ShouldBeNull();
    }
}
