namespace McpPlatform.Partner.Apis;

/// <summary>What <c>POST /v1/echo</c> received.</summary>
/// <param name="Tenant">The tenant whose key was presented.</param>
/// <param name="Bytes">The body's length.</param>
/// <param name="ContentType">The body's content type, if any.</param>
public sealed record EchoResponse(string Tenant, int Bytes, string? ContentType);
