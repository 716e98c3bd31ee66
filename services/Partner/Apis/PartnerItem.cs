namespace McpPlatform.Partner.Apis;

/// <summary>One of a tenant's demo items.</summary>
/// <param name="Id">The item's id.</param>
/// <param name="Tenant">The tenant it belongs to.</param>
/// <param name="Title">A title.</param>
public sealed record PartnerItem(string Id, string Tenant, string Title);
