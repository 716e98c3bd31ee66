using McpPlatform.Core;
using McpPlatform.ServiceClients;
using Microsoft.Extensions.Options;

namespace McpPlatform.Audit;

/// <summary>
/// This server's client-credentials token for <c>collector-tenant</c> (audience = the collector's
/// origin, scope <c>audit:write</c>, no tenant), cached until shortly before it expires.
/// </summary>
internal sealed class AuditServiceToken(
    IHttpClientFactory httpClients,
    DiscoveryDocument discovery,
    IOptions<ServerClientOptions> client,
    IOptions<AuditOptions> audit,
    TimeProvider time) : ServiceTokenCache(httpClients, discovery, client, time, HttpClientName)
{
    public const string HttpClientName = "audit-token";

    protected override string Resource => audit.Value.Audience;

    protected override string Scope => PlatformScopes.AuditWrite;

    protected override Exception Refused(string problem) => new AuditTokenException(problem);
}
