namespace McpPlatform.Policy.Model;

/// <summary>Where tenant connections may connect.</summary>
public sealed class EgressPolicy
{
    /// <summary>Allowed origins (scheme://host[:port]).</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
