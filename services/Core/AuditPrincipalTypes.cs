namespace McpPlatform.Core;

/// <summary>Principal types that appear only in audit records.</summary>
public static class AuditPrincipalTypes
{
    /// <summary>A platform operator acting under a grant.</summary>
    public const string Operator = "operator";
}
