namespace McpPlatform.Knowledge.Store;

/// <summary>A minted Qdrant JWT and when it stops being accepted.</summary>
/// <param name="Token">The compact JWT, sent as the <c>api-key</c> header.</param>
/// <param name="Collection">The only collection it grants.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
public sealed record QdrantCollectionToken(string Token, string Collection, DateTimeOffset ExpiresAt);
