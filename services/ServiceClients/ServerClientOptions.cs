namespace McpPlatform.ServiceClients;

/// <summary>This server's own client registration at <c>identity</c> (configuration section <c>Identity</c>).</summary>
public sealed class ServerClientOptions
{
    /// <summary>The client id; defaults to the service's resource name.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The client secret, from an AppHost secret parameter.</summary>
    public string ClientSecret { get; set; } = string.Empty;
}
