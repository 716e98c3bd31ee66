using McpPlatform.Core;
using Microsoft.Extensions.Options;

namespace McpPlatform.Tenancy.Audit;

/// <summary>This server could not obtain its own token for <c>collector-tenant</c>.</summary>
/// <param name="message">What went wrong.</param>
public sealed class AuditTokenException(string message) : Exception(message);

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
