namespace McpPlatform.AppHost.Infrastructure;

/// <summary>How the AppHost runs PostgreSQL, Redis and the vector store.</summary>
public enum InfrastructureMode
{
    /// <summary>Aspire's container integrations; always the mode in publish (deployment) mode.</summary>
    Containers,

    /// <summary>Local processes from the machine's binaries, for machines with no container engine.</summary>
    Local,
}
