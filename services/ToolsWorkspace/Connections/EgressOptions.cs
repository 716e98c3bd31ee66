namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// The platform's egress allow-list (configuration section <c>Workspace:Egress</c>): the only
/// origins a connection may point at. The policy issue moves it into the policy document.
/// </summary>
public sealed class EgressOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workspace:Egress";

    /// <summary>Allowed origins (<c>https://api.example.com</c>, <c>http://localhost:5710</c>); empty allows none.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
