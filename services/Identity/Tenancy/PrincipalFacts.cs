using McpPlatform.Core;

namespace McpPlatform.Identity.Tenancy;

/// <summary>What the directory knows about a principal when a token is issued.</summary>
/// <param name="PrincipalType"><see cref="PrincipalTypes.User"/> or <see cref="PrincipalTypes.Agent"/>.</param>
/// <param name="PrincipalId">The user id or the agent's client id (the token's <c>sub</c>).</param>
/// <param name="OrganisationId">The organisation (directory tenant) the principal belongs to, if any.</param>
public sealed record PrincipalFacts(string PrincipalType, string PrincipalId, string? OrganisationId);
