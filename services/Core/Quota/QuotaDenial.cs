namespace McpPlatform.Core.Quota;

/// <summary>Why admission was denied: a reason code of <see cref="ReasonCodes"/> and what applied.</summary>
/// <param name="Code">The reason code.</param>
/// <param name="Message">A sentence for the caller (and a model) to read.</param>
/// <param name="RetryAfterSeconds">When waiting helps, how long; null when it does not.</param>
/// <param name="Limit">The limit that applied (calls, calls per second, tokens or cost).</param>
/// <param name="Window">The window of that limit: <c>concurrent</c>, <c>second</c>, <c>hour</c> or <c>day</c>.</param>
/// <param name="Scope"><c>tenant</c> (the quota partition) or <c>principal</c>.</param>
public sealed record QuotaDenial(string Code, string Message, int? RetryAfterSeconds, decimal? Limit, string? Window, string? Scope);
