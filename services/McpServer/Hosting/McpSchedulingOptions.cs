namespace McpPlatform.McpServer.Hosting;

/// <summary>How many MCP requests one instance runs at once (configuration section <c>Mcp:Scheduling</c>).</summary>
public sealed class McpSchedulingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Mcp:Scheduling";

    /// <summary>
    /// Requests running at once in this instance; 0 (default) turns scheduling off. Quota's
    /// concurrency caps bound a tenant's slots across the platform, not its share of this
    /// instance's CPU: a tenant with sub-millisecond calls fills the CPU within its cap. A bound
    /// here, with fair queuing across tenants, keeps such a flood from queueing other tenants'
    /// calls behind it — but a flooding tenant's excess calls then wait in line instead of being
    /// denied by quota whenever this bound is below its concurrency cap (measured in
    /// docs/benchmarks.md, "Noisy neighbour"). Set it (e.g. twice the cores) on CPU-bound servers
    /// where latency isolation matters more than immediate denials; leave it off for servers
    /// whose tools mostly wait on I/O.
    /// </summary>
    public int Workers { get; set; }

    /// <summary>Requests one tenant may have waiting in this instance; beyond it the request gets 503 with Retry-After.</summary>
    public int MaxQueuedPerTenant { get; set; } = 1024;

    /// <summary>Whether requests go through <see cref="TenantFairScheduler"/> at all.</summary>
    public bool Enabled => Workers > 0;
}
