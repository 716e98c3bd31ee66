namespace McpPlatform.Core;

/// <summary>A <see cref="TenantContext"/> or the reason none could be built.</summary>
/// <param name="Context">The context, when valid.</param>
/// <param name="ErrorCode">A reason code when not.</param>
/// <param name="ErrorMessage">A sentence for the caller when not.</param>
public sealed record TenantContextResult(TenantContext? Context, string? ErrorCode, string? ErrorMessage);
