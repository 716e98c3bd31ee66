using System.Net.Http.Headers;
using System.Security.Cryptography;
using McpPlatform.Core;
using McpPlatform.Policy;
using McpPlatform.Quota.Apis;
using McpPlatform.Quota.Extensions;
using McpPlatform.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpPlatform.Quota.Tests.Support;

/// <summary>
/// The quota service's real pipeline (AddQuotaServices, UseQuotaPipeline, Map*Api) on an
/// in-memory TestServer against this fixture's own redis-server. Tokens are signed by a key
/// the test holds in place of identity's (identity cannot run here without the AppHost).
/// </summary>
public sealed class QuotaApiHost : IAsyncLifetime
{
    public const string Issuer = "http://localhost:5100/";
    public const int TenantCap = 2;

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mcpplatform-quota-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public RedisServer Redis { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The fixture's policy document.</summary>
    public string PolicyPath => Path.Combine(_folder, "platform-policy.yaml");

    /// <summary>The running service's policy source.</summary>
    public PolicySource PolicySource => _app!.Services.GetRequiredService<PolicySource>();

    /// <summary>
    /// A policy document: tier <c>standard</c> with <see cref="TenantCap"/> calls in flight, no rate
    /// limits, 100000 tokens an hour; <paramref name="tenants"/> is YAML of the <c>tenants</c> section.
    /// </summary>
    public static string Policy(int version, string tenants = "{}") =>
        $"""
        version: {version}
        tenancy:
          model: Organisation
        defaultTier: standard
        tiers:
          standard:
            tenantConcurrency: {TenantCap}
            principalConcurrency: -1
            tenantRatePerSecond: -1
            principalRatePerSecond: -1
            tokensPerHour: 100000
        tenants: {tenants}
        """;

    /// <summary>Replaces the policy document (written whole, then moved over, as an editor saves).</summary>
    public async Task WritePolicyAsync(string text)
    {
        var staging = PolicyPath + ".tmp";
        await File.WriteAllTextAsync(staging, text);
        File.Move(staging, PolicyPath, overwrite: true);
    }

    public async ValueTask InitializeAsync()
    {
        await Redis.InitializeAsync();
        Directory.CreateDirectory(_folder);
        await WritePolicyAsync(Policy(version: 1));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{InfrastructureResources.Redis}"] = Redis.ConnectionString,
            // Production's 250 ms Redis budget fails closed on a loaded CI machine; these tests
            // are about decisions, not timeouts (RedisOutageTests has its own fixture for those).
            ["QuotaRedis:OperationTimeoutMilliseconds"] = "5000",
            // The limits come from a platform policy document of this fixture's own, which a test
            // may rewrite (WritePolicy) to check that quota applies or refuses the edit.
            [PlatformPolicyFile.ConfigurationKey] = PolicyPath,
            ["Policy:PollInterval"] = "00:00:00.250",
        });
        builder.AddPlatformProblemDetails();
        builder.AddQuotaServices();
        builder.Services.TrustTestIssuer(Issuer, new RsaSecurityKey(_key));

        _app = builder.Build();
        _app.UsePlatformErrorHandling();
        _app.UseQuotaPipeline();
        _app.MapAdmissionApi();
        _app.MapUsageApi();
        _app.MapAdminApi();
        await _app.StartAsync();
        Client = _app.GetTestClient();
    }

    /// <summary>A handler that calls the in-memory server (for the real QuotaClient).</summary>
    public HttpMessageHandler CreateHandler() => _app!.GetTestServer().CreateHandler();

    /// <summary>A signed access token as identity would issue it.</summary>
    public string Token(string scope, string subject = "tools-knowledge", string? tenant = null, string? role = null,
        string? quotaPartition = null, string audience = "http://localhost:5300")
    {
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = subject,
            [PlatformClaims.Scope] = scope,
        };
        if (tenant is not null)
        {
            claims[PlatformClaims.TenantId] = tenant;
        }

        if (role is not null)
        {
            claims[PlatformClaims.Role] = role;
        }

        if (quotaPartition is not null)
        {
            claims[PlatformClaims.QuotaPartition] = quotaPartition;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddSeconds(-5),
            Expires = DateTime.UtcNow.AddMinutes(5),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key), SecurityAlgorithms.RsaSha256),
        });
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _key.Dispose();
        await Redis.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    public static string AdmitBody(string tenant, string principal = "agent-1", string tool = "search_knowledge", long tokens = 10, decimal cost = 0m, string? partition = null) =>
        $$$"""
        {"tenant":{"tenantId":"{{{tenant}}}","principalId":"{{{principal}}}","principalType":"agent","quotaPartition":"{{{partition ?? tenant}}}","invocationId":"inv-{{{Guid.NewGuid():N}}}"},
         "tool":"{{{tool}}}","estimate":{"tokens":{{{tokens}}},"cost":{{{cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}}}
        """;
}
