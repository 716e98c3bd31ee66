namespace McpPlatform.AppHost.Tests.Security;

/// <summary>
/// One hostile request: a name for the failure report, and how to build it. <see cref="Raw"/> is
/// sent as bytes over a socket when HttpClient would refuse or repair it (malformed request lines).
/// </summary>
internal sealed record HostileCase(string Name, Func<HttpRequestMessage>? Request = null, (int Port, byte[] Bytes)? Raw = null);
