namespace McpPlatform.Core;

/// <summary>Well-known endpoints every HTTP service exposes.</summary>
public static class HealthEndpoints
{
    /// <summary>Readiness: the service and its dependencies answer.</summary>
    public const string Health = "/health";

    /// <summary>Liveness: the process is up.</summary>
    public const string Alive = "/alive";
}
