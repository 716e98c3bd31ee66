using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.Tenancy;

/// <summary>A granted admission: release it with the actual usage when the call ends.</summary>
/// <param name="LeaseId">The opaque lease id (empty where the admitter keeps its own handle).</param>
/// <param name="ExpiresAt">When the concurrency slot returns by itself if never released.</param>
public sealed record QuotaLease(string LeaseId, DateTimeOffset ExpiresAt)
{
    /// <summary>What the admitter that granted the lease needs to release it; opaque to everyone else.</summary>
    public object? Handle { get; init; }
}

/// <summary>
/// Admission control as MCP servers see it: admit before a tool runs, release after. Two
/// implementations decide with the same engine: in-process against Redis
/// (<c>McpPlatform.Quota.Engine</c>, the default for .NET servers) and <see cref="QuotaClient"/>
/// over HTTP to the <c>quota</c> service. Neither throws for quota outcomes.
/// </summary>
public interface IQuotaAdmission
{
    /// <summary>Asks for admission of one tool call.</summary>
    /// <param name="tenant">The call's context (from the caller's validated token).</param>
    /// <param name="tool">The tool's name.</param>
    /// <param name="estimate">Expected usage, reserved until release.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A lease or a denial.</returns>
    ValueTask<Admission> AdmitAsync(TenantContext tenant, string tool, QuotaUsage estimate, CancellationToken cancellationToken);

    /// <summary>Releases a lease and settles the actual usage. Idempotent; failures are logged, not thrown (the lease expires by itself).</summary>
    /// <param name="lease">The lease from <see cref="AdmitAsync"/>.</param>
    /// <param name="actual">The call's actual usage.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when this call released the lease.</returns>
    Task<bool> ReleaseAsync(QuotaLease lease, QuotaUsage actual, CancellationToken cancellationToken);
}

/// <summary>The outcome of <see cref="QuotaClient.AdmitAsync"/>: a lease or a denial, never both.</summary>
/// <param name="Lease">The lease, when granted.</param>
/// <param name="Denial">The denial, when not.</param>
public sealed record Admission(QuotaLease? Lease, QuotaDenial? Denial)
{
    /// <summary>True when the call may run.</summary>
    public bool IsGranted => Lease is not null;
}

/// <summary>Where and how MCP servers reach <c>quota</c> (configuration section <c>Quota</c>).</summary>
public sealed class QuotaClientOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Quota";

    /// <summary>Base address; by default the resource name, resolved by service discovery.</summary>
    public Uri BaseAddress { get; set; } = new($"http://{PlatformServices.Quota.ResourceName}");

    /// <summary>The audience (resource) of the service token; the quota service's origin.</summary>
    public string Audience { get; set; } = PlatformServices.Quota.LocalOrigin;

    /// <summary>Upper bound on one admit or release, after which admission is denied (fail closed).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// The MCP server side of admission control: one HTTP call per admit and per release, with
/// this server's own client-credentials token. Never throws for quota outcomes: anything but a
/// decision from <c>quota</c> (network error, timeout, refusal) becomes a
/// <see cref="ReasonCodes.Unavailable"/> denial, so a tool call fails closed and says why.
/// </summary>
public sealed partial class QuotaClient(HttpClient http, QuotaServiceToken token, ILogger<QuotaClient> logger) : IQuotaAdmission
{
    private const string LeasesPath = "v1/leases";

    /// <inheritdoc />
    public async ValueTask<Admission> AdmitAsync(TenantContext tenant, string tool, QuotaUsage estimate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var body = new AdmitRequest(QuotaTenant.From(tenant), tool, estimate);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, LeasesPath)
            {
                Content = JsonContent.Create(body, QuotaJsonContext.Default.AdmitRequest),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(cancellationToken));
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var answer = await response.Content.ReadFromJsonAsync(QuotaJsonContext.Default.AdmitResponse, cancellationToken);
                if (answer is { Granted: true, LeaseId: { } leaseId, ExpiresAt: { } expiresAt })
                {
                    return new Admission(new QuotaLease(leaseId, expiresAt), null);
                }

                if (answer?.Denial is { } denial)
                {
                    return new Admission(null, denial);
                }
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                token.Invalidate();
            }

            var detail = await ReadDetailAsync(response, cancellationToken);
            LogRefused(logger, (int)response.StatusCode, detail);
            return Unavailable($"The quota service refused the admission request (HTTP {(int)response.StatusCode}: {detail}).", retryAfterSeconds: null);
        }
        catch (Exception exception) when (IsTransport(exception, cancellationToken))
        {
            LogUnreachable(logger, exception);
            return Unavailable("The quota service could not be reached in time; the call was not run.", retryAfterSeconds: 1);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(QuotaLease lease, QuotaUsage actual, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{LeasesPath}/{Uri.EscapeDataString(lease.LeaseId)}/release")
            {
                Content = JsonContent.Create(new ReleaseRequest(actual), QuotaJsonContext.Default.ReleaseRequest),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(cancellationToken));
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var answer = await response.Content.ReadFromJsonAsync(QuotaJsonContext.Default.ReleaseResponse, cancellationToken);
                return answer?.Released ?? false;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                token.Invalidate();
            }

            LogReleaseRefused(logger, (int)response.StatusCode, await ReadDetailAsync(response, cancellationToken));
            return false;
        }
        catch (Exception exception) when (IsTransport(exception, cancellationToken))
        {
            LogUnreachable(logger, exception);
            return false;
        }
    }

    private static Admission Unavailable(string message, int? retryAfterSeconds) =>
        new(null, new QuotaDenial(ReasonCodes.Unavailable, message, retryAfterSeconds, null, null, null));

    // Cancellation by the caller propagates; everything else that means "no decision" fails closed.
    private static bool IsTransport(Exception exception, CancellationToken cancellationToken) =>
        exception switch
        {
            OperationCanceledException => !cancellationToken.IsCancellationRequested,
            HttpRequestException or JsonException or QuotaTokenException => true,
            _ => false,
        };

    private static async Task<string> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length > 300 ? text[..300] : text;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota refused a request with HTTP {Status}: {Detail}")]
    private static partial void LogRefused(ILogger logger, int status, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota refused a release with HTTP {Status}: {Detail}")]
    private static partial void LogReleaseRefused(ILogger logger, int status, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota unreachable; failing closed.")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}

/// <summary>This server could not obtain its own token for <c>quota</c>.</summary>
/// <param name="message">What went wrong.</param>
public sealed class QuotaTokenException(string message) : Exception(message);

/// <summary>
/// This server's client-credentials token for <c>quota</c> (audience = quota's origin, scope
/// <c>quota:admit</c>), cached until shortly before it expires and refreshed by one caller at a time.
/// </summary>
public sealed class QuotaServiceToken(
    IHttpClientFactory httpClients,
    DiscoveryDocument discovery,
    IOptions<ServerClientOptions> client,
    IOptions<QuotaClientOptions> quota,
    TimeProvider time) : ServiceTokenCache(httpClients, discovery, client, time, HttpClientName)
{
    /// <summary>The named HttpClient used for the token endpoint.</summary>
    public const string HttpClientName = "quota-token";

    /// <inheritdoc />
    protected override string Resource => quota.Value.Audience;

    /// <inheritdoc />
    protected override string Scope => PlatformScopes.QuotaAdmit;

    /// <inheritdoc />
    protected override Exception Refused(string problem) => new QuotaTokenException(problem);
}

/// <summary>Registration of the quota client for MCP servers.</summary>
public static class QuotaClientExtensions
{
    /// <summary>
    /// Registers <see cref="QuotaClient"/>: a typed HttpClient to <c>quota</c> (service discovery
    /// name by default, <c>Quota:BaseAddress</c> to override) bounded by <c>Quota:Timeout</c>
    /// without retries (admission is not idempotent and must not hang), and the service token
    /// fetched with this server's client credentials (<c>Identity:ClientId</c>/<c>Identity:ClientSecret</c>).
    /// </summary>
    /// <param name="builder">The MCP server's host builder.</param>
    /// <param name="service">This service (its resource name is the default client id).</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddQuotaClient(this IHostApplicationBuilder builder, PlatformService service)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(service);
        builder.AddServerClient(service);
        builder.Services.AddOptions<QuotaClientOptions>().Bind(builder.Configuration.GetSection(QuotaClientOptions.SectionName));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(QuotaServiceToken.HttpClientName);
        builder.Services.TryAddSingleton<QuotaServiceToken>();
        var quotaHttp = builder.Services.AddHttpClient<QuotaClient>((services, http) =>
        {
            var options = services.GetRequiredService<IOptions<QuotaClientOptions>>().Value;
            http.BaseAddress = options.BaseAddress;
            http.Timeout = options.Timeout;
        });

        // The shared defaults retry 429/5xx and hedge; a retried admit could take a second
        // slot, and retries would stretch a fail-closed answer into a hang. The API is marked
        // experimental; it is the documented way to opt one client out of the defaults.
#pragma warning disable EXTEXP0001
        quotaHttp.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.TryAddTransient<IQuotaAdmission>(services => services.GetRequiredService<QuotaClient>());
        return builder;
    }
}
