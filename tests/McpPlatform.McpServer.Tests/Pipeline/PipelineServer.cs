using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using McpPlatform.Audit;
using McpPlatform.Core;
using McpPlatform.McpServer.Hosting;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.Quota.Engine;
using McpPlatform.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.Client;

namespace McpPlatform.McpServer.Tests.Pipeline;

/// <summary>
/// A second, minimal MCP server built the way a platform team builds one: in-process admission,
/// ONE <c>AddPlatformMcpServer</c> with its tools, authentication and authorization middleware,
/// ONE <c>MapPlatformMcp</c>. It runs on TestServer against this fixture's own redis-server.
/// Tokens are signed by a key the test holds in place of identity's: the JWT bearer options get
/// that key and issuer directly (PostConfigure), so no discovery document is fetched. The audit
/// collector and identity point at a closed loopback port, so audit records stay in the spool,
/// where the tests read them.
/// </summary>
public class PipelineServer : IAsyncLifetime
{
    /// <summary>Issuer of the test tokens; nothing listens there (the audit shipper's token requests fail).</summary>
    public const string Issuer = "http://127.0.0.1:1/";

    /// <summary>Every limit lifted.</summary>
    public const string FreeTenant = "tenant-free";

    /// <summary>An hourly token budget smaller than one call's estimate: every call is denied by Redis.</summary>
    public const string BrokeTenant = "tenant-broke";

    /// <summary>One call in flight per principal.</summary>
    public const string OneAtATimeTenant = "tenant-one-at-a-time";

    public const string Principal = "agent-1";

    /// <summary>The one browser origin this server allows (<c>Mcp:AllowedOrigins</c>).</summary>
    public const string AllowedOrigin = "https://console.example";

    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>A platform service that is not one of the platform's: the "second" MCP server.</summary>
    public static readonly PlatformService Service = new("tools-pipeline-test", 5290);

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _spoolPath;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly MeterListener _listener = new();
    private readonly List<(string Tool, string Outcome)> _calls = [];
    private WebApplication? _app;

    /// <summary>The server as the other pipeline tests use it.</summary>
    public PipelineServer()
        : this(Path.Combine(Path.GetTempPath(), $"pipeline-test-spool-{Guid.NewGuid():N}"), new Dictionary<string, string?>())
    {
    }

    /// <summary>A server whose audit spool is <paramref name="spoolPath"/>, with more settings on top of the defaults.</summary>
    protected PipelineServer(string spoolPath, IReadOnlyDictionary<string, string?> settings)
    {
        _spoolPath = spoolPath;
        _settings = settings;
    }

    public RedisServer Redis { get; } = new();

    /// <summary>This server's audit emitter (drops, durability).</summary>
    public AuditEmitter Audit => _app!.Services.GetRequiredService<AuditEmitter>();

    public ToolRuns Runs { get; } = new();

    public QuotaEngine Engine => _app!.Services.GetRequiredService<QuotaEngine>();

    public virtual async ValueTask InitializeAsync()
    {
        await Redis.InitializeAsync();
        await PublishPolicyAsync();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{InfrastructureResources.Redis}"] = Redis.ConnectionString,
            [TokenValidationExtensions.AuthorityKey] = Issuer,
            ["Identity:ClientSecret"] = "test-secret",
            ["Audit:SpoolPath"] = _spoolPath,
            ["Audit:BaseAddress"] = Issuer,
            // Production fails closed after 250 ms; a loaded test machine must not turn that into quota.unavailable.
            ["QuotaRedis:OperationTimeoutMilliseconds"] = "5000",
            ["Mcp:AllowedOrigins:0"] = AllowedOrigin,
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Services.AddSingleton(Runs);

        // What a platform team writes: admission first, then one registration with its tools.
        builder.AddInProcessQuotaAdmission();
        builder.AddPlatformMcpServer(Service).WithTools<PipelineTestTools>();

        // In place of identity's discovery document: the test's issuer and signing key.
        builder.Services.TrustTestIssuer(Issuer, new RsaSecurityKey(_key));

        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapPlatformMcp();

        var meters = _app.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this server's meter: other tests in the process create meters of the same name.
            if (instrument.Meter.Name == ToolCallMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)
                && instrument.Name == ToolCallMetrics.CallsInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => Count(tags));
        _listener.Start();

        await _app.StartAsync();
        // The policy refresher syncs on a timer; one round now instead of waiting for it.
        await _app.Services.GetRequiredService<QuotaPolicySync>().SyncAsync();
        _app.Services.GetRequiredService<QuotaPolicy>().IsLoaded.ShouldBeTrue();
    }

    /// <summary>A connected MCP client (Streamable HTTP) sending <paramref name="token"/> as its bearer token.</summary>
    public async Task<McpClient> ConnectAsync(string token, CancellationToken cancellationToken, string? origin = null)
    {
        var server = _app!.GetTestServer();
        var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (origin is not null)
        {
            http.DefaultRequestHeaders.Add("Origin", origin);
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.BaseAddress, McpConventions.Path),
            TransportMode = HttpTransportMode.StreamableHttp,
        }, http, NullLoggerFactory.Instance, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
    }

    /// <summary>A plain HTTP client of the test server, for requests no MCP client would send.</summary>
    public HttpClient CreateHttpClient() => _app!.GetTestServer().CreateClient();

    /// <summary>A signed access token for this server, as identity would issue it.</summary>
    public string Token(string tenant, string subject = Principal, string principalType = PrincipalTypes.Agent) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Service.LocalMcpResource,
            Claims = new Dictionary<string, object>
            {
                [PlatformClaims.Subject] = subject,
                [PlatformClaims.Scope] = PlatformScopes.McpTools,
                [PlatformClaims.TenantId] = tenant,
                [PlatformClaims.PrincipalType] = principalType,
            },
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddSeconds(-5),
            Expires = DateTime.UtcNow.AddMinutes(5),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key), SecurityAlgorithms.RsaSha256),
        });

    /// <summary>Calls counted by this server's <c>mcpplatform.tool.calls</c> for a tool and outcome.</summary>
    public int Calls(string tool, string? outcome = null)
    {
        lock (_calls)
        {
            return _calls.Count(call => call.Tool == tool && (outcome is null || call.Outcome == outcome));
        }
    }

    /// <summary>Every audit record spooled so far.</summary>
    public IReadOnlyList<AuditRecord> AuditRecords()
    {
        var spool = _app!.Services.GetRequiredService<AuditSpool>();
        return [.. spool.Segments().SelectMany(spool.Read).Select(record => record.Parse())];
    }

    /// <summary>The audit record of one invocation, once the spool writer has written it.</summary>
    public async Task<AuditRecord> AuditRecordAsync(string invocationId)
    {
        AuditRecord? found = null;
        await WaitUntilAsync(() =>
        {
            found = AuditRecords().SingleOrDefault(record => record.InvocationId == invocationId);
            return Task.FromResult(found is not null);
        }, $"an audit record of invocation {invocationId} in the spool");
        return found!;
    }

    /// <summary>The tenant's leases in flight in Redis.</summary>
    public async Task<long> InFlightAsync(string tenant) => (await Engine.GetUsageAsync(tenant, tenant)).Concurrency.InFlight;

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <see cref="Bound"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"Waited {Bound} for {what}.");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _listener.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _key.Dispose();
        await Redis.DisposeAsync();
        var parent = Path.GetDirectoryName(_spoolPath)!;
        foreach (var folder in Directory.Exists(parent) ? Directory.EnumerateDirectories(parent, Path.GetFileName(_spoolPath) + "*") : [])
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // What the quota service would publish: the authority's sync writes it to Redis, the
    // server's follower sync applies it.
    private async Task PublishPolicyAsync()
    {
        var options = new QuotaPolicyOptions { DefaultTier = "standard" };
        options.Tiers["standard"] = new QuotaLimits();
        options.Tenants[BrokeTenant] = new TenantQuotaPolicy { TokensPerHour = 10 };
        options.Tenants[OneAtATimeTenant] = new TenantQuotaPolicy { PrincipalConcurrency = 1 };
        using var policy = new QuotaPolicy(new FixedOptionsMonitor<QuotaPolicyOptions>(options), NullLogger<QuotaPolicy>.Instance);
        await new QuotaPolicySync(Redis.Multiplexer, policy, new LimitOverrideStore(Redis.Multiplexer, policy, TimeProvider.System), QuotaPolicyRole.Authority)
            .SyncAsync();
    }

    private void Count(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? tool = null;
        string? outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "gen_ai.tool.name")
            {
                tool = tag.Value as string;
            }
            else if (tag.Key == "outcome")
            {
                outcome = tag.Value as string;
            }
        }

        lock (_calls)
        {
            _calls.Add((tool ?? string.Empty, outcome ?? string.Empty));
        }
    }

    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
