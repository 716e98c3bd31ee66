using McpPlatform.Core;
using McpPlatform.ServiceClients;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Quota;

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
