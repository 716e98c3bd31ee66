namespace McpPlatform.Core;

/// <summary>A <see cref="TenantCaller"/> or the reason none could be read from the token.</summary>
/// <param name="Caller">The caller, when the token names one.</param>
/// <param name="ErrorCode">A reason code when not.</param>
/// <param name="ErrorMessage">A sentence for the caller when not.</param>
public sealed record TenantCallerResult(TenantCaller? Caller, string? ErrorCode, string? ErrorMessage);
