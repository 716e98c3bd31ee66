namespace McpPlatform.Core.Quota;

/// <summary>The answer to <see cref="ReleaseRequest"/>.</summary>
/// <param name="Released">True when this request released the lease; false when it was already released or had expired.</param>
public sealed record ReleaseResponse(bool Released);
