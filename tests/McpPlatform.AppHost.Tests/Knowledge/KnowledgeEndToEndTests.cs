using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Identity;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Knowledge;

/// <summary>
/// The knowledge tools through real MCP clients against the running platform: contoso and
/// fabrikam ingest documents on the same topics with different canary strings, and nothing of
/// one ever reaches the other — through search, the cache, or export.
/// </summary>
public sealed class KnowledgeEndToEndTests(PlatformFixture platform)
{
    private const string ContosoCanary = "CNT-E2E-CANARY-51d0";
    private const string FabrikamCanary = "FBK-E2E-CANARY-9e77";

    // The demo corpus (seeded in Development) carries these; a hit must carry its own tenant's.
    private const string ContosoDemoCanary = "CONTOSO-CANARY-3F9A";
    private const string FabrikamDemoCanary = "FABRIKAM-CANARY-7C21";

    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(60) };

    // Same topics for both tenants, different facts; one chunk each. The key is the labelled
    // query's expected document.
    private static readonly (string Id, string Title, string Contoso, string Fabrikam, string Query)[] Topics =
    [
        ("leave", "Parental leave",
            "Contoso parents receive 20 weeks of fully paid parental leave, to be taken within the first year after birth or adoption.",
            "Fabrikam parents receive 14 weeks of parental leave at 80 percent pay, which can be split into two blocks.",
            "How many weeks of paid leave do new parents get after a baby is born?"),
        ("passwords", "Password rotation",
            "Contoso passwords must be at least 16 characters and are rotated every 180 days; reuse of the last ten passwords is blocked.",
            "Fabrikam passwords need 12 characters with a symbol and expire every 90 days.",
            "How often do I have to change my password and how long must it be?"),
        ("parking", "Office parking",
            "The Contoso headquarters garage has 300 parking spaces on levels B1 and B2; electric car chargers are on B1 and free for staff.",
            "Fabrikam offers 120 parking spots behind the main building; reserve one in the facilities app a day ahead.",
            "Where can I park my car at the office and charge an electric vehicle?"),
        ("laptops", "Laptop procurement",
            "Contoso engineers get a new laptop every three years, ordered through the hardware catalogue with manager approval.",
            "Fabrikam replaces laptops every four years; employees request them from the IT service portal.",
            "When do I get a replacement laptop computer and how do I order one?"),
        ("retention", "Data retention",
            "Contoso keeps customer invoices for ten years and deletes support chat transcripts after 18 months.",
            "Fabrikam stores invoices for seven years and erases call recordings after six months.",
            "How long are customer invoices and recordings kept before deletion?"),
    ];

    private static readonly string[] Vocabulary =
    [
        "parental", "leave", "weeks", "baby", "password", "rotation", "characters", "expire", "parking", "garage", "charger",
        "laptop", "replacement", "order", "invoice", "retention", "delete", "recordings", "expenses", "hotel", "vpn", "gateway",
        "incident", "outage", "on-call", "policy", "how", "long", "where", "when", "what", "employees", "office", "secret", "canary",
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Isolation_SameTopicsDifferentCanaries_RandomQueriesCacheAndExportNeverCrossTenants()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        await using var contoso = await KnowledgeClient.ContosoAsync(Cancel);
        await using var fabrikam = await KnowledgeClient.FabrikamAsync(Cancel);
        await IngestTopicsAsync(contoso, fabrikam);

        // 200 randomized queries per tenant, both tenants at the same time.
        await Task.WhenAll(RandomQueriesAsync(contoso, seed: 1, Own.Contoso), RandomQueriesAsync(fabrikam, seed: 2, Own.Fabrikam));

        // Identical queries from both tenants at once, twice: the second round is served from each
        // tenant's own cache entry and still carries only that tenant's canaries.
        var cachedHits = 0;
        for (var round = 0; round < 2; round++)
        {
            var pairs = Topics.Select(topic => (
                Contoso: Search(contoso, topic.Query + " (concurrent)", 5),
                Fabrikam: Search(fabrikam, topic.Query + " (concurrent)", 5))).ToList();
            await Task.WhenAll(pairs.SelectMany(pair => new[] { pair.Contoso, pair.Fabrikam }));
            foreach (var (contosoResult, fabrikamResult) in pairs)
            {
                AssertOnlyOwn(await contosoResult, Own.Contoso);
                AssertOnlyOwn(await fabrikamResult, Own.Fabrikam);
                cachedHits += (await contosoResult).GetProperty("cached").GetBoolean() ? 1 : 0;
                cachedHits += (await fabrikamResult).GetProperty("cached").GetBoolean() ? 1 : 0;
            }
        }

        cachedHits.ShouldBeGreaterThanOrEqualTo(Topics.Length * 2, "the second round of identical queries is served from each tenant's cache");

        // Export: contoso's holds its own canaries and not a byte of fabrikam's.
        var export = (await contoso.SucceedAsync("export_knowledge", [], Cancel)).GetRawText();
        export.ShouldContain(ContosoCanary);
        export.ShouldNotContain(FabrikamCanary);
        export.ShouldNotContain(FabrikamDemoCanary);
        export.ShouldNotContain("Fabrikam", Case.Insensitive);

        var listed = await contoso.SucceedAsync("list_documents", [], Cancel);
        listed.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("title").GetString()!)
            .ShouldAllBe(title => !title.Contains("Fabrikam", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task OperatorExport_NamesTheTenant_GetsThatTenantOnly_AgentsAreRefused()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        await using var contoso = await KnowledgeClient.ContosoAsync(Cancel);
        await using var fabrikam = await KnowledgeClient.FabrikamAsync(Cancel);
        await IngestTopicsAsync(contoso, fabrikam);

        var operatorToken = (await IdentityClient.SignInWithPkceAsync(
            DemoDirectory.OperatorUserName, DemoSecrets.Get(DemoDirectory.Parameters.OperatorPassword),
            PlatformServices.ToolsKnowledge.LocalMcpResource, Cancel)).GetProperty("access_token").GetString()!;

        using (var response = await OperatorExportAsync(operatorToken, DemoDirectory.FabrikamTenantId))
        {
            var body = await response.Content.ReadAsStringAsync(Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-ndjson");
            var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Length.ShouldBeGreaterThanOrEqualTo(Topics.Length);
            body.ShouldContain(FabrikamCanary);
            body.ShouldNotContain(ContosoCanary);
            body.ShouldNotContain(ContosoDemoCanary);
        }

        using (var agent = await OperatorExportAsync(contoso.Token, DemoDirectory.FabrikamTenantId))
        {
            agent.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using var crossPartition = await OperatorExportAsync(operatorToken, DemoDirectory.FabrikamTenantId, $"?partition={DemoDirectory.ContosoTenantId}");
        crossPartition.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Retrieval_LabelledQueries_RelevantDocumentRanksFirstForMost()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        await using var contoso = await KnowledgeClient.ContosoAsync(Cancel);
        await using var fabrikam = await KnowledgeClient.FabrikamAsync(Cancel);
        await IngestTopicsAsync(contoso, fabrikam);

        var firsts = 0;
        foreach (var topic in Topics)
        {
            var hits = (await Search(contoso, topic.Query, 3)).GetProperty("hits");
            firsts += hits[0].GetProperty("documentId").GetString() == "e2e-" + topic.Id ? 1 : 0;
        }

        // Random vectors would put the right one of 8+ documents first about once in five queries.
        firsts.ShouldBeGreaterThanOrEqualTo(4, "MiniLM embeddings rank the relevant document first for most labelled queries");
    }

    [Fact]
    public async Task BadInput_ClearToolErrors_AndNothingHalfWritten()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName);
        await using var contoso = await KnowledgeClient.ContosoAsync(Cancel);
        var before = await DocumentIdsAsync(contoso);

        (await contoso.FailAsync("search_knowledge", new() { ["query"] = "   " }, Cancel)).ShouldBe(ToolErrorCodes.InvalidArgument);
        (await contoso.FailAsync("search_knowledge", new() { ["query"] = "parking", ["topK"] = 0 }, Cancel)).ShouldBe(ToolErrorCodes.InvalidArgument);
        (await contoso.FailAsync("search_knowledge", new() { ["query"] = "parking", ["topK"] = 10_000 }, Cancel)).ShouldBe(ToolErrorCodes.InvalidArgument);
        (await contoso.FailAsync("get_document", new() { ["documentId"] = "no-such-document" }, Cancel)).ShouldBe(ToolErrorCodes.DocumentNotFound);
        (await contoso.FailAsync("delete_document", new() { ["documentId"] = "no-such-document" }, Cancel)).ShouldBe(ToolErrorCodes.DocumentNotFound);

        // 50 MB of text: read by the server (body limit above it), refused by the tool.
        var huge = new string('a', 50 * 1024 * 1024);
        (await contoso.FailAsync("ingest_document", new() { ["title"] = "Huge", ["text"] = huge, ["documentId"] = "bad-huge" }, Cancel))
            .ShouldBe(ToolErrorCodes.DocumentTooLarge);

        // An escaped lone surrogate is valid JSON but not valid Unicode text.
        var (status, message) = await contoso.RawCallAsync(KnowledgeClient.ToolCallJson("ingest_document",
            """{"title":"Broken","text":"valid start \ud800 then a lone surrogate","documentId":"bad-surrogate"}"""), Cancel);
        status.ShouldBe(200);
        message.ShouldNotBeNull();
        message.Value.TryGetProperty("result", out var error).ShouldBeTrue(message.Value.GetRawText());
        error.GetProperty("isError").GetBoolean().ShouldBeTrue();
        error.GetProperty("structuredContent").GetProperty("error").GetProperty("code").GetString().ShouldBe(ToolErrorCodes.InvalidText);

        // Raw bytes that are not UTF-8: the same tool error.
        var invalidUtf8 = KnowledgeClient.ToolCallJson("ingest_document", """{"title":"Bytes","text":"XX","documentId":"bad-bytes"}""");
        var at = Array.IndexOf(invalidUtf8, (byte)'X');
        invalidUtf8[at] = 0xC3;
        invalidUtf8[at + 1] = 0x28;
        var (bytesStatus, bytesMessage) = await contoso.RawCallAsync(invalidUtf8, Cancel);
        bytesStatus.ShouldBe(200);
        bytesMessage.ShouldNotBeNull();
        bytesMessage.Value.GetProperty("id").GetInt32().ShouldBe(1);
        bytesMessage.Value.GetProperty("result").GetProperty("structuredContent").GetProperty("error").GetProperty("code").GetString()
            .ShouldBe(ToolErrorCodes.InvalidText);

        // A failed re-ingest of an existing document leaves the stored version as it was.
        var stored = await contoso.SucceedAsync("ingest_document", new()
        {
            ["title"] = "Kept version", ["text"] = "This text stays after a failed update.", ["documentId"] = "e2e-kept",
        }, Cancel);
        (await contoso.FailAsync("ingest_document", new()
        {
            ["title"] = "Kept version", ["text"] = "Replacement text.", ["documentId"] = "e2e-kept",
            ["metadata"] = new Dictionary<string, string> { ["bad key!"] = "x" },
        }, Cancel)).ShouldBe(ToolErrorCodes.InvalidArgument);
        var kept = await contoso.SucceedAsync("get_document", new() { ["documentId"] = "e2e-kept" }, Cancel);
        kept.GetProperty("document").GetProperty("contentHash").GetString().ShouldBe(stored.GetProperty("contentHash").GetString());
        kept.GetProperty("chunks")[0].GetString().ShouldBe("This text stays after a failed update.");

        var after = await DocumentIdsAsync(contoso);
        after.Except(before).ShouldBe(["e2e-kept"], ignoreOrder: true, "only the successful ingest added a document");
        foreach (var id in (string[])["bad-huge", "bad-surrogate", "bad-bytes"])
        {
            (await contoso.FailAsync("get_document", new() { ["documentId"] = id }, Cancel)).ShouldBe(ToolErrorCodes.DocumentNotFound);
        }

        await contoso.SucceedAsync("delete_document", new() { ["documentId"] = "e2e-kept" }, Cancel);
        (await contoso.FailAsync("get_document", new() { ["documentId"] = "e2e-kept" }, Cancel)).ShouldBe(ToolErrorCodes.DocumentNotFound);
    }

    [Fact]
    public async Task Quota_IngestAndSearchAdmitted_EmbeddingTokensSettled_CacheHitsFree()
    {
        await platform.WaitForHealthyAsync(PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.Quota.ResourceName);
        var alice = (await IdentityClient.SignInWithPkceAsync(
            DemoDirectory.ContosoUserName, DemoSecrets.Get(DemoDirectory.Parameters.ContosoUserPassword),
            PlatformServices.Quota.LocalOrigin, Cancel, PlatformScopes.QuotaRead)).GetProperty("access_token").GetString()!;
        await using var contoso = await KnowledgeClient.ContosoAsync(Cancel);
        var before = await SettledTokensAsync(alice);

        var unique = Guid.NewGuid().ToString("N");
        var ingest = await contoso.SucceedAsync("ingest_document", new()
        {
            ["title"] = $"Quota probe {unique}", ["text"] = $"Badge photos are taken at reception on Tuesdays. Probe {unique}.",
            ["documentId"] = $"e2e-quota-{unique}",
        }, Cancel);
        var ingestTokens = ingest.GetProperty("embeddingTokens").GetInt64();
        ingestTokens.ShouldBeGreaterThan(0);

        var query = $"When are badge photos taken? {unique}";
        var miss = await Search(contoso, query, 3);
        miss.GetProperty("cached").GetBoolean().ShouldBeFalse();
        var searchTokens = miss.GetProperty("embeddingTokens").GetInt64();
        searchTokens.ShouldBeGreaterThan(0);
        var hit = await Search(contoso, query, 3);
        hit.GetProperty("cached").GetBoolean().ShouldBeTrue();
        hit.GetProperty("embeddingTokens").GetInt64().ShouldBe(0);

        // Releases run off the response path: wait (bounded) until they are settled.
        var expected = before + ingestTokens + searchTokens;
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        decimal now;
        while ((now = await SettledTokensAsync(alice)) != expected)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"usage {now} never settled at {expected} (before {before}, ingest {ingestTokens}, search {searchTokens})");
            await Task.Delay(200, Cancel);
        }

        await contoso.SucceedAsync("delete_document", new() { ["documentId"] = $"e2e-quota-{unique}" }, Cancel);
    }

    private enum Own
    {
        Contoso,
        Fabrikam,
    }

    private static async Task IngestTopicsAsync(KnowledgeClient contoso, KnowledgeClient fabrikam)
    {
        foreach (var topic in Topics)
        {
            // Idempotent: a second test re-ingesting the same content embeds nothing.
            await contoso.SucceedAsync("ingest_document", new()
            {
                ["title"] = $"Contoso {topic.Title}", ["text"] = $"{topic.Contoso} Internal reference: {ContosoCanary}.",
                ["documentId"] = "e2e-" + topic.Id, ["metadata"] = new Dictionary<string, string> { ["topic"] = topic.Id },
            }, Cancel);
            await fabrikam.SucceedAsync("ingest_document", new()
            {
                ["title"] = $"Fabrikam {topic.Title}", ["text"] = $"{topic.Fabrikam} Internal reference: {FabrikamCanary}.",
                ["documentId"] = "e2e-" + topic.Id, ["metadata"] = new Dictionary<string, string> { ["topic"] = topic.Id },
            }, Cancel);
        }
    }

    private static async Task RandomQueriesAsync(KnowledgeClient client, int seed, Own own)
    {
        var random = new Random(seed);
        for (var i = 0; i < 200; i++)
        {
            var words = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]);
            var query = random.Next(4) == 0 ? Topics[random.Next(Topics.Length)].Query : string.Join(' ', words);
            var arguments = new Dictionary<string, object?> { ["query"] = query, ["topK"] = random.Next(1, 11) };
            if (random.Next(5) == 0)
            {
                // A filter on a key both tenants use: still only the caller's documents.
                arguments["filter"] = new Dictionary<string, string> { ["topic"] = Topics[random.Next(Topics.Length)].Id };
            }

            AssertOnlyOwn(await client.SucceedAsync("search_knowledge", arguments, Cancel), own);
        }
    }

    private static Task<JsonElement> Search(KnowledgeClient client, string query, int topK) =>
        client.SucceedAsync("search_knowledge", new() { ["query"] = query, ["topK"] = topK }, Cancel);

    private static void AssertOnlyOwn(JsonElement result, Own own)
    {
        var (mine, theirs) = own == Own.Contoso
            ? (new[] { ContosoCanary, ContosoDemoCanary }, new[] { FabrikamCanary, FabrikamDemoCanary })
            : (new[] { FabrikamCanary, FabrikamDemoCanary }, new[] { ContosoCanary, ContosoDemoCanary });
        foreach (var hit in result.GetProperty("hits").EnumerateArray())
        {
            var text = hit.GetProperty("text").GetString()!;
            theirs.ShouldAllBe(canary => !text.Contains(canary, StringComparison.Ordinal), "a chunk of the other tenant was returned");

            // This test's and the demo's documents carry their tenant's canary. Other test classes
            // share the platform fixture and add documents of their own to the same tenant (e.g.
            // the telemetry canary test's "canary…-doc"), so a hit without one of ours must at
            // least not be one of the documents this test gave the other tenant.
            if (!mine.Any(canary => text.Contains(canary, StringComparison.Ordinal)))
            {
                hit.GetProperty("documentId").GetString()!.ShouldNotStartWith("e2e-", Case.Sensitive, "a document of this test without the caller's canary");
            }
        }
    }

    private static async Task<HashSet<string>> DocumentIdsAsync(KnowledgeClient client)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await client.SucceedAsync("list_documents", cursor is null ? [] : new() { ["cursor"] = cursor }, Cancel);
            foreach (var document in page.GetProperty("documents").EnumerateArray())
            {
                ids.Add(document.GetProperty("documentId").GetString()!);
            }

            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);
        return ids;
    }

    private static async Task<HttpResponseMessage> OperatorExportAsync(string bearer, string tenantId, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(PlatformServices.ToolsKnowledge.LocalUrl, $"/v1/admin/tenants/{tenantId}/knowledge/export{query}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await s_http.SendAsync(request, Cancel);
    }

    /// <summary>Contoso's tokens today, once no call is in flight (so reservations are settled).</summary>
    private static async Task<decimal> SettledTokensAsync(string bearer)
    {
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(PlatformServices.Quota.LocalUrl, "/v1/usage"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var response = await s_http.SendAsync(request, Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            using var report = JsonDocument.Parse(body);
            if (report.RootElement.GetProperty("concurrency").GetProperty("inFlight").GetInt64() == 0)
            {
                return report.RootElement.GetProperty("tokensDay").GetProperty("used").GetDecimal();
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "contoso calls stayed in flight");
            await Task.Delay(100, Cancel);
        }
    }
}
