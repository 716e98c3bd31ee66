using System.Net;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Quota.Tests.Support;

namespace McpPlatform.Quota.Tests;

public sealed class QuotaApiTests(QuotaApiHost host) : IClassFixture<QuotaApiHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string AdmitToken => host.Token(PlatformScopes.QuotaAdmit);

    [Fact]
    public async Task Admit_WithoutToken_Returns401()
    {
        using var response = await host.Client.SendAsync(QuotaApiHost.Request(HttpMethod.Post, "/v1/leases", null, QuotaApiHost.AdmitBody("contoso")), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Admit_TokenWithoutAdmitScope_Returns403()
    {
        var token = host.Token(PlatformScopes.McpTools, subject: "contoso-agent", tenant: "contoso");
        using var response = await host.Client.SendAsync(QuotaApiHost.Request(HttpMethod.Post, "/v1/leases", token, QuotaApiHost.AdmitBody("contoso")), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Admit_TokenForAnotherAudience_Returns401()
    {
        var token = host.Token(PlatformScopes.QuotaAdmit, audience: PlatformServices.ToolsKnowledge.LocalMcpResource);
        using var response = await host.Client.SendAsync(QuotaApiHost.Request(HttpMethod.Post, "/v1/leases", token, QuotaApiHost.AdmitBody("contoso")), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Admit_ThenReleaseTwice_GrantsAndReleasesOnce()
    {
        var tenant = Engines.NewTenant("contoso");
        var admission = await SendAsync(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody(tenant, tokens: 500));
        admission.Status.ShouldBe(HttpStatusCode.OK);
        admission.Body.GetProperty("granted").GetBoolean().ShouldBeTrue();
        var leaseId = admission.Body.GetProperty("leaseId").GetString()!;

        var first = await SendAsync(HttpMethod.Post, $"/v1/leases/{leaseId}/release", AdmitToken, """{"actual":{"tokens":120,"cost":0.01}}""");
        var second = await SendAsync(HttpMethod.Post, $"/v1/leases/{leaseId}/release", AdmitToken, """{"actual":{"tokens":120,"cost":0.01}}""");

        first.Status.ShouldBe(HttpStatusCode.OK);
        first.Body.GetProperty("released").GetBoolean().ShouldBeTrue();
        second.Status.ShouldBe(HttpStatusCode.OK);
        second.Body.GetProperty("released").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Admit_OverTenantCap_Returns200WithReasonCodeLimitAndRetry()
    {
        var tenant = Engines.NewTenant("contoso");
        for (var i = 0; i < QuotaApiHost.TenantCap; i++)
        {
            (await SendAsync(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody(tenant))).Body.GetProperty("granted").GetBoolean().ShouldBeTrue();
        }

        var denied = await SendAsync(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody(tenant));

        denied.Status.ShouldBe(HttpStatusCode.OK);
        denied.Body.GetProperty("granted").GetBoolean().ShouldBeFalse();
        var denial = denied.Body.GetProperty("denial");
        denial.GetProperty("code").GetString().ShouldBe(ReasonCodes.ConcurrencyTenant);
        denial.GetProperty("limit").GetDecimal().ShouldBe(QuotaApiHost.TenantCap);
        denial.GetProperty("window").GetString().ShouldBe("concurrent");
        denial.GetProperty("retryAfterSeconds").GetInt32().ShouldBeGreaterThan(0);
        denial.GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    public static TheoryData<string, string> BadAdmitBodies => new()
    {
        { "negative tokens", QuotaApiHost.AdmitBody("contoso", tokens: -1) },
        { "absurd tokens", QuotaApiHost.AdmitBody("contoso", tokens: 1_000_000_000_000) },
        { "negative cost", QuotaApiHost.AdmitBody("contoso", cost: -0.5m) },
        { "absurd cost", QuotaApiHost.AdmitBody("contoso", cost: 1_000_000m) },
        { "empty tool", QuotaApiHost.AdmitBody("contoso", tool: "") },
        { "unknown tool", QuotaApiHost.AdmitBody("contoso", tool: "format_disk") },
        { "malformed tool", QuotaApiHost.AdmitBody("contoso", tool: "a b") },
        { "partition with a hash tag", QuotaApiHost.AdmitBody("contoso", partition: "x}{y") },
        { "missing tenant", """{"tool":"search","estimate":{"tokens":1,"cost":0}}""" },
        { "missing estimate", """{"tenant":{"tenantId":"contoso","principalId":"a","principalType":"agent","quotaPartition":"contoso","invocationId":"i"},"tool":"search"}""" },
        { "bad principal type", """{"tenant":{"tenantId":"contoso","principalId":"a","principalType":"robot","quotaPartition":"contoso","invocationId":"i"},"tool":"search","estimate":{"tokens":1,"cost":0}}""" },
        { "not JSON", "{\"tenant\":" },
        { "number overflow", """{"tool":"search","estimate":{"tokens":1e40,"cost":0}}""" },
        { "wrong type", """{"tool":42}""" },
        { "null body", "null" },
    };

    [Theory]
    [MemberData(nameof(BadAdmitBodies))]
    public async Task Admit_BadInput_Returns400Problem(string because, string body)
    {
        using var response = await host.Client.SendAsync(QuotaApiHost.Request(HttpMethod.Post, "/v1/leases", AdmitToken, body), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, because);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", because);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        problem.RootElement.GetProperty("code").GetString().ShouldStartWith("request.", customMessage: because);
    }

    [Theory]
    [InlineData("not-a-lease")]
    [InlineData("0123456789abcdef0123456789abcdef.1.x.y")]
    [InlineData("0123456789abcdef0123456789abcdef.-1.Y29udG9zbw.YQ")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF.1.Y29udG9zbw.YQ")]
    [InlineData("0123456789abcdef0123456789abcdef.1.ezw-fQ.YQ")]
    public async Task Release_MalformedLeaseId_Returns400Problem(string leaseId)
    {
        var response = await SendAsync(HttpMethod.Post, $"/v1/leases/{Uri.EscapeDataString(leaseId)}/release", AdmitToken, """{"actual":{"tokens":1,"cost":0}}""");

        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.Body.GetProperty("code").GetString().ShouldBe("request.lease_invalid");
    }

    [Fact]
    public async Task Release_NegativeActual_Returns400Problem()
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/leases/0123456789abcdef0123456789abcdef.1.Y29udG9zbw.YQ/release", AdmitToken, """{"actual":{"tokens":-5,"cost":0}}""");

        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.Body.GetProperty("errors").TryGetProperty("actual.tokens", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Admit_OversizedBody_Returns413Problem()
    {
        var body = QuotaApiHost.AdmitBody("contoso").Replace("\"tool\"", $"\"padding\":\"{new string('x', 20_000)}\",\"tool\"", StringComparison.Ordinal);

        var response = await SendAsync(HttpMethod.Post, "/v1/leases", AdmitToken, body);

        response.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Body.GetProperty("code").GetString().ShouldBe("request.too_large");
    }

    [Fact]
    public async Task Admit_NotJsonContentType_Returns415Problem()
    {
        using var response = await host.Client.SendAsync(QuotaApiHost.Request(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody("contoso"), "text/plain"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Usage_TenantAdmin_SeesOnlyOwnTenant()
    {
        var contoso = Engines.NewTenant("contoso");
        var fabrikam = Engines.NewTenant("fabrikam");
        await SendAsync(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody(contoso, tokens: 10));
        await SendAsync(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody(fabrikam, tokens: 999));
        var admin = host.Token(PlatformScopes.QuotaRead, subject: "alice", tenant: contoso, role: PlatformRoles.TenantAdmin);

        var own = await SendAsync(HttpMethod.Get, "/v1/usage", admin);
        var named = await SendAsync(HttpMethod.Get, $"/v1/usage?tenant={contoso}", admin);
        var other = await SendAsync(HttpMethod.Get, $"/v1/usage?tenant={fabrikam}", admin);
        var otherPartition = await SendAsync(HttpMethod.Get, $"/v1/usage?partition={fabrikam}", admin);

        own.Status.ShouldBe(HttpStatusCode.OK);
        own.Body.GetProperty("tenantId").GetString().ShouldBe(contoso);
        own.Body.GetProperty("tokensHour").GetProperty("used").GetDecimal().ShouldBe(10);
        own.Body.GetProperty("tokensHour").GetProperty("remaining").GetDecimal().ShouldBe(100_000 - 10);
        own.Body.GetProperty("concurrency").GetProperty("inFlight").GetInt64().ShouldBe(1);
        named.Status.ShouldBe(HttpStatusCode.OK);
        other.Status.ShouldBe(HttpStatusCode.Forbidden);
        otherPartition.Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Usage_Operator_SeesAnyTenantItNames()
    {
        var fabrikam = Engines.NewTenant("fabrikam");
        await SendAsync(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody(fabrikam, tokens: 42));
        var operatorToken = host.Token(PlatformScopes.QuotaRead, subject: "operator", role: PlatformRoles.Operator);

        var usage = await SendAsync(HttpMethod.Get, $"/v1/usage?tenant={fabrikam}", operatorToken);
        var unnamed = await SendAsync(HttpMethod.Get, "/v1/usage", operatorToken);

        usage.Status.ShouldBe(HttpStatusCode.OK);
        usage.Body.GetProperty("tokensHour").GetProperty("used").GetDecimal().ShouldBe(42);
        unnamed.Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Usage_MemberOrServiceToken_Returns403()
    {
        var member = host.Token(PlatformScopes.QuotaRead, subject: "carol", tenant: "contoso", role: PlatformRoles.TenantMember);
        var service = host.Token(PlatformScopes.QuotaAdmit);

        (await SendAsync(HttpMethod.Get, "/v1/usage", member)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Get, "/v1/usage?tenant=contoso", service)).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AdminLimits_OperatorChange_IsAppliedAndRecorded()
    {
        var tenant = Engines.NewTenant("contoso");
        var operatorToken = host.Token(PlatformScopes.QuotaAdmin, subject: "operator-7", role: PlatformRoles.Operator);

        var change = await SendAsync(HttpMethod.Put, $"/v1/admin/tenants/{tenant}/limits", operatorToken, """{"tenantConcurrency":3}""");
        var limits = await SendAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/limits", operatorToken);
        var admissions = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            admissions.Add((await SendAsync(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody(tenant))).Body.GetProperty("granted").GetBoolean());
        }

        var changes = await SendAsync(HttpMethod.Get, $"/v1/admin/changes?tenant={tenant}", operatorToken);

        change.Status.ShouldBe(HttpStatusCode.OK);
        limits.Body.GetProperty("effective").GetProperty("tenantConcurrency").GetInt32().ShouldBe(3);
        admissions.Count(granted => granted).ShouldBe(3);
        var recorded = changes.Body.EnumerateArray().Single();
        recorded.GetProperty("changedBy").GetString().ShouldBe("operator-7");
        recorded.GetProperty("new").GetProperty("tenantConcurrency").GetInt32().ShouldBe(3);
        recorded.GetProperty("old").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AdminLimits_TenantAdminOrInvalidLimits_AreRefused()
    {
        var tenantAdmin = host.Token(PlatformScopes.QuotaAdmin, subject: "alice", tenant: "contoso", role: PlatformRoles.TenantAdmin);
        var operatorToken = host.Token(PlatformScopes.QuotaAdmin, subject: "operator-7", role: PlatformRoles.Operator);

        (await SendAsync(HttpMethod.Put, "/v1/admin/tenants/contoso/limits", tenantAdmin, """{"tenantConcurrency":100}""")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Put, "/v1/admin/tenants/contoso/limits", operatorToken, """{"tenantConcurrency":-7}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var response = await host.Client.SendAsync(QuotaApiHost.Request(method, path, token, json), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
