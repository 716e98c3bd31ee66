using McpPlatform.CollectorPlatform.Extensions;
using McpPlatform.CollectorPlatform.Ingest;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorPlatform.Apis;

/// <summary>What the receivers use, resolved once per request.</summary>
public sealed record IngestServices(
    IOptions<CollectorPlatformOptions> Options,
    TenantFreeChecker Checker,
    FindingsStore Findings,
    ToolCallStats Stats,
    ReceivedStore Received,
    DashboardForwarder Forwarder,
    TraceForwardSampler Sampler);
