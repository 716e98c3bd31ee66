namespace McpPlatform.Core.Quota;

// The wire contract between MCP servers and the quota service (docs/quotas.md). Both sides
// serialise with QuotaJsonContext, so the shape is written once.

/// <summary>Usage of one tool call: model tokens and cost in the platform's currency unit.</summary>
/// <param name="Tokens">Tokens (input + output), 0 or more.</param>
/// <param name="Cost">Cost, 0 or more; kept to 6 decimal places.</param>
public sealed record QuotaUsage(long Tokens, decimal Cost)
{
    /// <summary>No tokens, no cost: a tool that consumes neither.</summary>
    public static readonly QuotaUsage None = new(0, 0m);
}
