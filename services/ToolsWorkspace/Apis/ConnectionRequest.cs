namespace McpPlatform.ToolsWorkspace.Apis;

/// <summary>The body of <c>PUT /v1/connections/{name}</c>.</summary>
/// <param name="BaseUrl">The API's origin: absolute http(s), no path, query or user info; on the egress allow-list.</param>
/// <param name="SecretName">The name of the tenant's secret holding the credential.</param>
/// <param name="CredentialHeader">The header the credential goes in (e.g. <c>X-Api-Key</c>, <c>Authorization</c>).</param>
/// <param name="CredentialPrefix">Text before the credential in the header (e.g. <c>Bearer </c>), or null.</param>
/// <param name="AllowedPathPrefixes">1-32 path prefixes a call's path must start with.</param>
/// <param name="AllowedMethods">1-6 HTTP methods a call may use.</param>
public sealed record ConnectionRequest(
    string? BaseUrl,
    string? SecretName,
    string? CredentialHeader,
    string? CredentialPrefix,
    string[]? AllowedPathPrefixes,
    string[]? AllowedMethods);
