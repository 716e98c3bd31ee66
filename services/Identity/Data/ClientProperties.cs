namespace McpPlatform.Identity.Data;

/// <summary>Names of the platform's own properties on OpenIddict applications.</summary>
public static class ClientProperties
{
    /// <summary>What the client is (<see cref="ClientKinds"/>); decides which grants make sense for it.</summary>
    public const string Kind = "mcpplatform_kind";

    /// <summary>On resource-server clients: the resource the server serves (tokens sent to it carry this audience).</summary>
    public const string Resource = "mcpplatform_resource";

    /// <summary>A string property of an application, or null when absent or not a string.</summary>
    /// <param name="properties">The application's properties.</param>
    /// <param name="name">The property, e.g. <see cref="Kind"/>.</param>
    /// <returns>The value, or null.</returns>
    public static string? Read(IReadOnlyDictionary<string, System.Text.Json.JsonElement>? properties, string name) =>
        properties is not null && properties.TryGetValue(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()
            : null;
}
