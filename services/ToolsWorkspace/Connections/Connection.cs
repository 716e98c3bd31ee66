using System.ComponentModel;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// A tenant's named HTTP connection: where it goes, which of the tenant's secrets is its credential
/// (by name: the value lives in the secrets service only) and how that credential is sent, and the
/// paths and methods calls may use.
/// </summary>
/// <param name="Name">The connection's name, unique in its tenant.</param>
/// <param name="BaseUrl">The API's origin (scheme, host, port), on the egress allow-list.</param>
/// <param name="SecretName">The name of the tenant's secret holding the credential.</param>
/// <param name="CredentialHeader">The request header the credential goes in.</param>
/// <param name="CredentialPrefix">Text put before the credential in that header (e.g. "Bearer "), or null.</param>
/// <param name="AllowedPathPrefixes">Paths a call may use start with one of these.</param>
/// <param name="AllowedMethods">HTTP methods a call may use.</param>
public sealed record Connection(
    [property: Description("The connection's name: what call_connection takes.")] string Name,
    [property: Description("The API's origin.")] string BaseUrl,
    [property: Description("The name of the tenant secret used as the credential (never its value).")] string SecretName,
    [property: Description("The header the credential is sent in.")] string CredentialHeader,
    [property: Description("Text sent before the credential, if any.")] string? CredentialPrefix,
    [property: Description("A call's path must start with one of these.")] IReadOnlyList<string> AllowedPathPrefixes,
    [property: Description("The HTTP methods a call may use.")] IReadOnlyList<string> AllowedMethods);
