using McpPlatform.Knowledge.Store;

namespace McpPlatform.Knowledge.Tests.Store;

/// <summary>
/// The behaviour every provider must have. Subclasses supply the provider; each test gets a fresh
/// store and fresh tenants.
/// </summary>
public abstract class VectorStoreContractTests
{
    protected abstract Task<StoreHarness> CreateHarnessAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_AfterUpsert_ReturnsChunkWithDocumentFields()
    {
        await using var harness = await CreateHarnessAsync();
        var tenant = await harness.NewTenantAsync();
        await using var scope = await harness.Store.OpenAsync(tenant, Cancel);
        var result = await scope.UpsertDocumentAsync(
            TestVectors.Document("handbook", 3, seed: 1, metadata: new Dictionary<string, string> { ["team"] = "hr" }), Cancel);

        result.Replaced.ShouldBeFalse();
        result.Document.ChunkCount.ShouldBe(3);
        var hits = await scope.SearchAsync(TestVectors.Near(TestVectors.ChunkVector(1, 2), 99), 1, cancellationToken: Cancel);

        var hit = hits.ShouldHaveSingleItem();
        hit.DocumentId.ShouldBe("handbook");
        hit.Title.ShouldBe("Title of handbook");
        hit.ChunkIndex.ShouldBe(2);
        hit.Text.ShouldBe("handbook chunk 2");
        hit.SourceUrl.ShouldBe("https://example.test/handbook");
        hit.Metadata.ShouldBe(new Dictionary<string, string> { ["team"] = "hr" });
        hit.Score.ShouldBeGreaterThan(0.95f);
        hit.Score.ShouldBeLessThanOrEqualTo(1f);
    }

    [Fact]
    public async Task Search_ManyChunks_ReturnsTopKBestFirst()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        for (var d = 0; d < 5; d++)
        {
            await scope.UpsertDocumentAsync(TestVectors.Document($"doc-{d}", 4, seed: 10 + d), Cancel);
        }

        var hits = await scope.SearchAsync(TestVectors.Near(TestVectors.ChunkVector(12, 3), 7), 6, cancellationToken: Cancel);

        hits.Count.ShouldBe(6);
        hits[0].DocumentId.ShouldBe("doc-2");
        hits[0].ChunkIndex.ShouldBe(3);
        hits.Select(h => h.Score).ShouldBeInOrder(SortDirection.Descending);
        (await scope.SearchAsync(TestVectors.Random(5), 100, cancellationToken: Cancel)).Count.ShouldBe(20);
    }

    [Fact]
    public async Task Upsert_SameIdWithFewerChunks_ReplacesAllChunks()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("policy", 5, seed: 2, textPrefix: "old"), Cancel);

        var second = await scope.UpsertDocumentAsync(TestVectors.Document("policy", 2, seed: 3, textPrefix: "new"), Cancel);

        second.Replaced.ShouldBeTrue();
        var document = (await scope.GetDocumentAsync("policy", Cancel)).ShouldNotBeNull();
        document.Chunks.Select(c => c.Text).ShouldBe(["new chunk 0", "new chunk 1"]);
        document.Document.ContentHash.ShouldBe("hash-3");
        var all = await scope.SearchAsync(TestVectors.ChunkVector(2, 4), 100, cancellationToken: Cancel);
        all.Count.ShouldBe(2);
        all.ShouldAllBe(hit => hit.Text.StartsWith("new", StringComparison.Ordinal));
        (await scope.ListDocumentsAsync(10, cancellationToken: Cancel)).Documents.ShouldHaveSingleItem().ChunkCount.ShouldBe(2);
    }

    [Fact]
    public async Task Upsert_SameDocumentTwice_LeavesSameState()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        var document = TestVectors.Document("faq", 3, seed: 4);
        await scope.UpsertDocumentAsync(document, Cancel);
        var first = await scope.GetDocumentAsync("faq", Cancel);

        (await scope.UpsertDocumentAsync(document, Cancel)).Replaced.ShouldBeTrue();

        var second = (await scope.GetDocumentAsync("faq", Cancel)).ShouldNotBeNull();
        second.Chunks.Select(c => c.Text).ShouldBe(first!.Chunks.Select(c => c.Text));
        (second.Document with { UpdatedAt = default }).ShouldBe(first.Document with { UpdatedAt = default }, new SummaryComparer());
        (await scope.SearchAsync(TestVectors.Random(1), 100, cancellationToken: Cancel)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Delete_ExistingDocument_RemovesItAndItsChunks()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("keep", 2, seed: 5), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("drop", 3, seed: 6), Cancel);

        (await scope.DeleteDocumentAsync("drop", Cancel)).ShouldBeTrue();

        (await scope.DeleteDocumentAsync("drop", Cancel)).ShouldBeFalse();
        (await scope.GetDocumentAsync("drop", Cancel)).ShouldBeNull();
        var hits = await scope.SearchAsync(TestVectors.ChunkVector(6, 0), 100, cancellationToken: Cancel);
        hits.ShouldAllBe(hit => hit.DocumentId == "keep");
        hits.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Get_UnknownDocument_ReturnsNull()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);

        (await scope.GetDocumentAsync("never-stored", Cancel)).ShouldBeNull();
        (await scope.DeleteDocumentAsync("never-stored", Cancel)).ShouldBeFalse();
    }

    [Fact]
    public async Task List_InPages_ReturnsEveryDocumentOnce()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        var ids = Enumerable.Range(0, 7).Select(i => $"doc-{i}").ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document(id, 1 + (i % 3), seed: 20 + i), Cancel);
        }

        var seen = new List<DocumentSummary>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await scope.ListDocumentsAsync(3, cursor, Cancel);
            page.Documents.Count.ShouldBeLessThanOrEqualTo(3);
            seen.AddRange(page.Documents);
            cursor = page.NextCursor;
            (++pages).ShouldBeLessThan(10);
        }
        while (cursor is not null);

        seen.Select(d => d.DocumentId).Order(StringComparer.Ordinal).ShouldBe(ids);
        seen.Single(d => d.DocumentId == "doc-2").ChunkCount.ShouldBe(3);
        seen.Single(d => d.DocumentId == "doc-2").Title.ShouldBe("Title of doc-2");
    }

    [Fact]
    public async Task Search_WithMetadataFilter_ReturnsOnlyMatchingDocuments()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("hr-1", 2, 30, metadata: new Dictionary<string, string> { ["team"] = "hr", ["lang"] = "en" }), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("hr-2", 2, 31, metadata: new Dictionary<string, string> { ["team"] = "hr", ["lang"] = "de" }), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("it-1", 2, 32, metadata: new Dictionary<string, string> { ["team"] = "it" }), Cancel);
        var query = TestVectors.ChunkVector(32, 0);

        var hr = await scope.SearchAsync(query, 100, new Dictionary<string, string> { ["team"] = "hr" }, Cancel);
        var hrEnglish = await scope.SearchAsync(query, 100, new Dictionary<string, string> { ["team"] = "hr", ["lang"] = "en" }, Cancel);
        var none = await scope.SearchAsync(query, 100, new Dictionary<string, string> { ["team"] = "HR" }, Cancel);
        var unknownKey = await scope.SearchAsync(query, 100, new Dictionary<string, string> { ["doc_id"] = "it-1" }, Cancel);

        hr.Select(h => h.DocumentId).Distinct().Order().ShouldBe(["hr-1", "hr-2"]);
        hrEnglish.Select(h => h.DocumentId).Distinct().ShouldBe(["hr-1"]);
        none.ShouldBeEmpty();
        unknownKey.ShouldBeEmpty();
    }

    [Fact]
    public async Task Export_ReturnsEveryDocumentWithChunksAndOptionalVectors()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("a", 2, 40), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("b", 3, 41), Cancel);

        var plain = await scope.ExportAsync(cancellationToken: Cancel).ToListAsync(Cancel);
        var withVectors = await scope.ExportAsync(includeVectors: true, Cancel).ToListAsync(Cancel);

        plain.Select(d => d.Document.DocumentId).Order().ShouldBe(["a", "b"]);
        plain.Single(d => d.Document.DocumentId == "b").Chunks.Select(c => c.Text).ShouldBe(["b chunk 0", "b chunk 1", "b chunk 2"]);
        plain.SelectMany(d => d.Chunks).ShouldAllBe(c => c.Vector.IsEmpty);
        var exported = withVectors.Single(d => d.Document.DocumentId == "b").Chunks[1].Vector.ToArray();
        var original = TestVectors.ChunkVector(41, 1);
        exported.Length.ShouldBe(StoreHarness.Dimensions);
        exported.Zip(original).ShouldAllBe(pair => Math.Abs(pair.First - pair.Second) < 1e-4f);
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsEveryDocument()
    {
        await using var harness = await CreateHarnessAsync();
        var tenant = await harness.NewTenantAsync();
        await using (var scope = await harness.Store.OpenAsync(tenant, Cancel))
        {
            await scope.UpsertDocumentAsync(TestVectors.Document("kept", 2, 50, metadata: new Dictionary<string, string> { ["k"] = "v" }), Cancel);
            await scope.UpsertDocumentAsync(TestVectors.Document("replaced", 4, 51, textPrefix: "old"), Cancel);
            await scope.UpsertDocumentAsync(TestVectors.Document("replaced", 1, 52, textPrefix: "new"), Cancel);
            await scope.UpsertDocumentAsync(TestVectors.Document("deleted", 1, 53), Cancel);
            await scope.DeleteDocumentAsync("deleted", Cancel);
        }

        await harness.ReopenAsync();

        await using var reopened = await harness.Store.OpenAsync(tenant, Cancel);
        var list = await reopened.ListDocumentsAsync(10, cancellationToken: Cancel);
        list.Documents.Select(d => d.DocumentId).Order().ShouldBe(["kept", "replaced"]);
        var kept = (await reopened.GetDocumentAsync("kept", Cancel)).ShouldNotBeNull();
        kept.Document.Metadata["k"].ShouldBe("v");
        kept.Chunks.Select(c => c.Text).ShouldBe(["kept chunk 0", "kept chunk 1"]);
        (await reopened.GetDocumentAsync("replaced", Cancel))!.Chunks.ShouldHaveSingleItem().Text.ShouldBe("new chunk 0");
        var hit = (await reopened.SearchAsync(TestVectors.ChunkVector(50, 1), 1, cancellationToken: Cancel)).ShouldHaveSingleItem();
        (hit.DocumentId, hit.ChunkIndex).ShouldBe(("kept", 1));
    }

    [Fact]
    public async Task Isolation_TenantBScope_SeesNothingOfTenantA()
    {
        await using var harness = await CreateHarnessAsync();
        var a = await harness.NewTenantAsync();
        var b = await harness.NewTenantAsync();
        await using var scopeA = await harness.Store.OpenAsync(a, Cancel);
        await using var scopeB = await harness.Store.OpenAsync(b, Cancel);
        await scopeA.UpsertDocumentAsync(TestVectors.Document("secret", 3, 60, textPrefix: "canary-A"), Cancel);

        (await scopeB.SearchAsync(TestVectors.ChunkVector(60, 0), 100, cancellationToken: Cancel)).ShouldBeEmpty();
        (await scopeB.ListDocumentsAsync(200, cancellationToken: Cancel)).Documents.ShouldBeEmpty();
        (await scopeB.GetDocumentAsync("secret", Cancel)).ShouldBeNull();
        (await scopeB.ExportAsync(true, Cancel).ToListAsync(Cancel)).ShouldBeEmpty();
        (await scopeB.DeleteDocumentAsync("secret", Cancel)).ShouldBeFalse();
        (await scopeA.GetDocumentAsync("secret", Cancel)).ShouldNotBeNull().Chunks.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Isolation_SameDocumentIdInTwoTenants_StaysSeparate()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scopeA = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await using var scopeB = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await scopeA.UpsertDocumentAsync(TestVectors.Document("doc-1", 2, 70, textPrefix: "canary-A"), Cancel);
        await scopeB.UpsertDocumentAsync(TestVectors.Document("doc-1", 1, 71, textPrefix: "canary-B"), Cancel);

        (await scopeB.DeleteDocumentAsync("doc-1", Cancel)).ShouldBeTrue();

        (await scopeA.GetDocumentAsync("doc-1", Cancel))!.Chunks.Select(c => c.Text).ShouldBe(["canary-A chunk 0", "canary-A chunk 1"]);
        (await scopeB.GetDocumentAsync("doc-1", Cancel)).ShouldBeNull();
        (await scopeA.SearchAsync(TestVectors.ChunkVector(71, 0), 100, cancellationToken: Cancel)).ShouldAllBe(h => h.Text.StartsWith("canary-A", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Isolation_CraftedIdsFiltersAndPartitions_NeverReachTenantA()
    {
        await using var harness = await CreateHarnessAsync();
        var a = await harness.NewTenantAsync();
        var b = await harness.NewTenantAsync();
        await using var scopeA = await harness.Store.OpenAsync(a, Cancel);
        await scopeA.UpsertDocumentAsync(TestVectors.Document("target", 2, 80, textPrefix: "canary-A", metadata: new Dictionary<string, string> { ["team"] = "a" }), Cancel);
        var storageOfA = harness.StorageNameOf(a);
        string[] crafted =
        [
            "../" + a.DataPartition + "/target", "../../" + storageOfA, "../" + storageOfA + "/target", "..", "*", storageOfA, "target\u200b",
            "doc_id", "../target", "/target", "%2e%2e%2ftarget", "target/../target", a.TenantId + ":target",
        ];

        // Partitions that look like paths around A's must get their own storage, not A's.
        var lookalikes = new[] { "../" + a.DataPartition, a.DataPartition + "/..", a.DataPartition + "/", "./" + a.DataPartition };
        var scopes = new List<ITenantVectorScope> { await harness.Store.OpenAsync(b, Cancel) };
        foreach (var partition in lookalikes)
        {
            scopes.Add(await harness.Store.OpenAsync(await harness.NewTenantAsync(partition), Cancel));
        }

        foreach (var scope in scopes)
        {
            foreach (var id in crafted)
            {
                (await scope.GetDocumentAsync(id, Cancel)).ShouldBeNull();
                (await scope.DeleteDocumentAsync(id, Cancel)).ShouldBeFalse();
                await scope.UpsertDocumentAsync(new KnowledgeDocument(id, "attacker", [new KnowledgeChunk("attacker text", TestVectors.ChunkVector(80, 0))]), Cancel);
            }

            (await scope.SearchAsync(TestVectors.ChunkVector(80, 0), 100, new Dictionary<string, string> { ["team"] = "a" }, Cancel)).ShouldBeEmpty();
            var hits = await scope.SearchAsync(TestVectors.ChunkVector(80, 0), 100, cancellationToken: Cancel);
            hits.ShouldAllBe(hit => hit.Text == "attacker text");
            (await scope.ExportAsync(false, Cancel).ToListAsync(Cancel)).SelectMany(d => d.Chunks).ShouldAllBe(c => c.Text == "attacker text");
            await scope.DisposeAsync();
        }

        var documents = await scopeA.ListDocumentsAsync(200, cancellationToken: Cancel);
        documents.Documents.ShouldHaveSingleItem().DocumentId.ShouldBe("target");
        (await scopeA.SearchAsync(TestVectors.ChunkVector(80, 0), 100, cancellationToken: Cancel)).ShouldAllBe(h => h.Text.StartsWith("canary-A", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upsert_WrongDimension_ThrowsAndWritesNothing()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        await scope.UpsertDocumentAsync(TestVectors.Document("existing", 2, 90, textPrefix: "original"), Cancel);
        var bad = new KnowledgeDocument("existing", "t", [new KnowledgeChunk("good", TestVectors.Random(1)), new KnowledgeChunk("bad", new float[383])]);

        var error = await Should.ThrowAsync<ArgumentException>(() => scope.UpsertDocumentAsync(bad, Cancel));

        error.Message.ShouldContain("383 dimensions");
        error.Message.ShouldContain("384");
        (await scope.GetDocumentAsync("existing", Cancel))!.Chunks.Select(c => c.Text).ShouldBe(["original chunk 0", "original chunk 1"]);
    }

    [Fact]
    public async Task Search_BadArguments_ThrowClearErrors()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        var query = TestVectors.Random(1);

        (await Should.ThrowAsync<ArgumentOutOfRangeException>(() => scope.SearchAsync(query, 0, cancellationToken: Cancel))).ParamName.ShouldBe("topK");
        (await Should.ThrowAsync<ArgumentOutOfRangeException>(() => scope.SearchAsync(query, 10_000, cancellationToken: Cancel))).Message.ShouldContain("between 1 and 100");
        (await Should.ThrowAsync<ArgumentException>(() => scope.SearchAsync(ReadOnlyMemory<float>.Empty, 5, cancellationToken: Cancel))).Message.ShouldContain("0 dimensions");
        (await Should.ThrowAsync<ArgumentException>(() => scope.SearchAsync(new float[384], 5, cancellationToken: Cancel))).Message.ShouldContain("zero length");
        var nan = TestVectors.Random(2);
        nan[7] = float.NaN;
        (await Should.ThrowAsync<ArgumentException>(() => scope.SearchAsync(nan, 5, cancellationToken: Cancel))).Message.ShouldContain("NaN");
        await Should.ThrowAsync<ArgumentException>(() => scope.SearchAsync(query, 5, new Dictionary<string, string> { ["meta.team"] = "x" }, Cancel));
        await Should.ThrowAsync<ArgumentException>(() => scope.ListDocumentsAsync(10, "not-a-cursor!", Cancel));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => scope.ListDocumentsAsync(0, null, Cancel));
        await Should.ThrowAsync<ArgumentException>(() => scope.GetDocumentAsync("", Cancel));
    }

    [Fact]
    public async Task Upsert_BadDocuments_ThrowAndWriteNothing()
    {
        await using var harness = await CreateHarnessAsync();
        await using var scope = await harness.Store.OpenAsync(await harness.NewTenantAsync(), Cancel);
        var vector = TestVectors.Random(3);
        KnowledgeDocument[] bad =
        [
            new("no-chunks", "t", []),
            new("", "t", [new KnowledgeChunk("x", vector)]),
            new(new string('x', 257), "t", [new KnowledgeChunk("x", vector)]),
            new("id\u0001", "t", [new KnowledgeChunk("x", vector)]),
            new("huge", "t", [new KnowledgeChunk(new string('x', VectorStoreLimits.MaxChunkTextBytes + 1), vector)]),
            new("surrogate", "t", [new KnowledgeChunk("broken \ud800 text", vector)]),
            new("empty-text", "t", [new KnowledgeChunk("   ", vector)]),
            new("bad-key", "t", [new KnowledgeChunk("x", vector)]) { Metadata = new Dictionary<string, string> { ["a.b"] = "c" } },
            new("no-title", " ", [new KnowledgeChunk("x", vector)]),
            new("too-many", "t", [.. Enumerable.Repeat(new KnowledgeChunk("x", vector), VectorStoreLimits.MaxChunksPerDocument + 1)]),
        ];

        foreach (var document in bad)
        {
            await Should.ThrowAsync<ArgumentException>(() => scope.UpsertDocumentAsync(document, Cancel));
        }

        (await scope.ListDocumentsAsync(200, cancellationToken: Cancel)).Documents.ShouldBeEmpty();
    }

    private sealed class SummaryComparer : IEqualityComparer<DocumentSummary>
    {
        public bool Equals(DocumentSummary? x, DocumentSummary? y) =>
            x is not null && y is not null && x.DocumentId == y.DocumentId && x.Title == y.Title && x.SourceUrl == y.SourceUrl
            && x.ContentHash == y.ContentHash && x.ChunkCount == y.ChunkCount && x.Metadata.Count == y.Metadata.Count
            && x.Metadata.All(pair => y.Metadata.TryGetValue(pair.Key, out var value) && value == pair.Value);

        public int GetHashCode(DocumentSummary obj) => obj.DocumentId.GetHashCode(StringComparison.Ordinal);
    }
}
