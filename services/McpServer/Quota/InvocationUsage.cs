using McpPlatform.Core.Quota;

namespace McpPlatform.McpServer.Quota;

/// <summary>What one tool call actually used; tools add to it, the admission filter settles it at release.</summary>
public sealed class InvocationUsage
{
    private long _tokens;
    private long _costMicros;

    /// <summary>Records usage (e.g. embedding tokens, model cost).</summary>
    /// <param name="tokens">Tokens used.</param>
    /// <param name="cost">Cost used, in the budget's currency.</param>
    public void Add(long tokens, decimal cost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        Interlocked.Add(ref _tokens, tokens);
        Interlocked.Add(ref _costMicros, (long)(cost * 1_000_000m));
    }

    /// <summary>The total so far.</summary>
    public QuotaUsage Total => new(Interlocked.Read(ref _tokens), Interlocked.Read(ref _costMicros) / 1_000_000m);
}
