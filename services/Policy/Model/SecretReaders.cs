namespace McpPlatform.Policy.Model;

/// <summary>One secret name and the tools, by server, that may read it.</summary>
public sealed class SecretReaders
{
    /// <summary>The secret's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Tool names by server resource name.</summary>
    public Dictionary<string, List<string>> Readers { get; set; } = new(StringComparer.Ordinal);
}
