namespace McpPlatform.Core;

/// <summary>Well-known endpoints every HTTP service exposes.</summary>
public static class HealthEndpoints
{
    /// <summary>Readiness: the service and its dependencies answer.</summary>
    public const string Health = "/health";

    /// <summary>Liveness: the process is up.</summary>
    public const string Alive = "/alive";

    /// <summary>
    /// The tag of a health check whose description <c>/health</c> shows (a sentence the service
    /// wrote about itself, e.g. degraded sandbox isolation); other checks show their status only.
    /// </summary>
    public const string DetailsTag = "details";

    /// <summary>
    /// The tag of a health check whose data entries <c>/health</c> shows as strings (values the
    /// service chose to publish, e.g. the policy version in force); other checks' data stays hidden.
    /// </summary>
    public const string DataTag = "data";
}
