using System.Net;
using System.Text;
using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.McpServer.Quota;
using McpPlatform.ServiceClients;
using McpPlatform.Quota.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Tests;

/// <summary>The MCP servers' side: <see cref="QuotaClient"/> against the real service pipeline.</summary>
public sealed class QuotaClientTests(QuotaApiHost host) : IClassFixture<QuotaApiHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuotaClient_AdmitAndRelease_UsesOneCachedServiceToken()
    {
        var identity = new IdentityStub(() => host.Token(PlatformScopes.QuotaAdmit));
        using var tokens = CreateToken(identity);
        var client = new QuotaClient(new HttpClient(host.CreateHandler()) { BaseAddress = new Uri("http://quota/") }, tokens, NullLogger<QuotaClient>.Instance);
        var tenant = Context(NewTenant("contoso"));

        for (var i = 0; i < 3; i++)
        {
            var admission = await client.AdmitAsync(tenant, "search_knowledge", new QuotaUsage(10, 0.01m), Cancel);
            admission.IsGranted.ShouldBeTrue(admission.Denial?.Code);
            (await client.ReleaseAsync(admission.Lease!, new QuotaUsage(5, 0m), Cancel)).ShouldBeTrue();
        }

        identity.TokenRequests.ShouldBe(1);
        identity.LastForm.ShouldContain("scope=quota%3Aadmit");
        identity.LastForm.ShouldContain("resource=http%3A%2F%2Flocalhost%3A5300");
    }

    [Fact]
    public async Task QuotaClient_DenialFromService_BecomesToolError()
    {
        var identity = new IdentityStub(() => host.Token(PlatformScopes.QuotaAdmit));
        using var tokens = CreateToken(identity);
        var client = new QuotaClient(new HttpClient(host.CreateHandler()) { BaseAddress = new Uri("http://quota/") }, tokens, NullLogger<QuotaClient>.Instance);
        var tenant = Context(NewTenant("contoso"));
        for (var i = 0; i < QuotaApiHost.TenantCap; i++)
        {
            var admission = await client.AdmitAsync(tenant, "search_knowledge", QuotaUsage.None, Cancel);
            admission.IsGranted.ShouldBeTrue(admission.Denial?.Code);
        }

        var denied = await client.AdmitAsync(tenant, "search_knowledge", QuotaUsage.None, Cancel);

        denied.IsGranted.ShouldBeFalse();
        denied.Denial!.Code.ShouldBe(ReasonCodes.ConcurrencyTenant);
        var result = new ToolCall().Fail(denied.Denial.Code, denied.Denial.Message, denied.Denial.RetryAfterSeconds);
        result.IsError.ShouldBe(true);
        result.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString().ShouldBe(ReasonCodes.ConcurrencyTenant);
        result.StructuredContent!.Value.GetProperty("error").GetProperty("retryAfterSeconds").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task QuotaClient_ServiceUnreachable_FailsClosedWithUnavailable()
    {
        var identity = new IdentityStub(() => host.Token(PlatformScopes.QuotaAdmit));
        using var tokens = CreateToken(identity);
        var client = new QuotaClient(new HttpClient(new Unreachable()) { BaseAddress = new Uri("http://quota/") }, tokens, NullLogger<QuotaClient>.Instance);

        var admission = await client.AdmitAsync(Context("contoso"), "search_knowledge", QuotaUsage.None, Cancel);

        admission.IsGranted.ShouldBeFalse();
        admission.Denial!.Code.ShouldBe(ReasonCodes.Unavailable);
        (await client.ReleaseAsync(new QuotaLease("x", DateTimeOffset.UtcNow), QuotaUsage.None, Cancel)).ShouldBeFalse();
    }

    [Fact]
    public async Task QuotaClient_IdentityRefusesToken_FailsClosedWithUnavailable()
    {
        var identity = new IdentityStub(() => null);
        using var tokens = CreateToken(identity);
        var client = new QuotaClient(new HttpClient(host.CreateHandler()) { BaseAddress = new Uri("http://quota/") }, tokens, NullLogger<QuotaClient>.Instance);

        var admission = await client.AdmitAsync(Context("contoso"), "search_knowledge", QuotaUsage.None, Cancel);

        admission.Denial!.Code.ShouldBe(ReasonCodes.Unavailable);
    }

    /// <summary>A tenant id of its own per test, so tests sharing the fixture's Redis do not count each other's leases.</summary>
    private static string NewTenant(string name) => $"{name}-{Guid.NewGuid():N}";

    private static TenantContext Context(string tenant) =>
        new(tenant, "contoso-agent", PrincipalTypes.Agent, Guid.NewGuid().ToString("N"), tenant, tenant, tenant);

    private static QuotaServiceToken CreateToken(IdentityStub identity)
    {
        var factory = new StubHttpClientFactory(identity);
        var configuration = new ConfigurationBuilder().Build();
        return new QuotaServiceToken(factory, new DiscoveryDocument(factory, configuration),
            Options.Create(new ServerClientOptions { ClientId = "tools-knowledge", ClientSecret = "secret" }),
            Options.Create(new QuotaClientOptions()), TimeProvider.System);
    }

    /// <summary>Stands in for identity's discovery and token endpoints (identity needs PostgreSQL and the AppHost).</summary>
    private sealed class IdentityStub(Func<string?> issue) : HttpMessageHandler
    {
        private int _tokenRequests;

        public int TokenRequests => _tokenRequests;

        public string LastForm { get; private set; } = string.Empty;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("openid-configuration", StringComparison.Ordinal))
            {
                return Json("""{"issuer":"http://localhost:5100/","token_endpoint":"http://localhost:5100/connect/token"}""");
            }

            Interlocked.Increment(ref _tokenRequests);
            LastForm = await request.Content!.ReadAsStringAsync(cancellationToken);
            return issue() is { } token
                ? Json($$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":300}""")
                : Json("""{"error":"invalid_scope"}""", HttpStatusCode.BadRequest);
        }

        private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
            new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }

    private sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class Unreachable : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (test)");
    }
}
