namespace McpPlatform.Core;

/// <summary>Values of <see cref="AuditRecord.Kind"/>.</summary>
public static class AuditKinds
{
    /// <summary>One <c>tools/call</c>, whatever its outcome (admission denials included).</summary>
    public const string ToolCall = "tool_call";

    /// <summary>An operator asked to read this tenant's records.</summary>
    public const string GrantRequested = "grant.requested";

    /// <summary>A second operator (or the configured policy) approved the request.</summary>
    public const string GrantApproved = "grant.approved";

    /// <summary>The operator read this tenant's records under the grant.</summary>
    public const string GrantUsed = "grant.used";

    /// <summary>
    /// An RFC 8693 token exchange at <c>identity</c> with a token of this tenant as the subject:
    /// granted (<see cref="AuditOutcomes.Success"/>) or refused (<see cref="AuditOutcomes.Denied"/>
    /// with the OAuth error as reason code). Written by <c>identity</c> only.
    /// </summary>
    public const string TokenExchange = "token_exchange";

    /// <summary>
    /// One attempt to read a secret value at <c>secrets</c> with an exchanged token of this tenant:
    /// granted (<see cref="AuditOutcomes.Success"/>) or refused (<see cref="AuditOutcomes.Denied"/>
    /// with <c>secret.not_found</c> or <c>secret.denied</c>). Never carries the value. Written by
    /// <c>secrets</c> only.
    /// </summary>
    public const string SecretRead = "secret_read";

    /// <summary>
    /// A tenant admin created, rotated or deleted one of the tenant's secrets (never the value).
    /// Written by <c>secrets</c> only.
    /// </summary>
    public const string SecretChange = "secret_change";

    /// <summary>
    /// A tenant admin created, replaced or deleted one of the tenant's connections on
    /// <c>tools-workspace</c>; the detail names the action, the connection and its base URL
    /// (never a secret value). Written by MCP servers only.
    /// </summary>
    public const string ConnectionChange = "connection_change";

    /// <summary>Every kind.</summary>
    public static readonly IReadOnlyList<string> All = [ToolCall, TokenExchange, SecretRead, SecretChange, ConnectionChange, GrantRequested, GrantApproved, GrantUsed];
}
