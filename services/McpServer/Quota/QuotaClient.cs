using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Core.Quota;
using Microsoft.Extensions.Logging;

namespace McpPlatform.McpServer.Quota;

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
