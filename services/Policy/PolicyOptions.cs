namespace McpPlatform.Policy;

/// <summary>Where the policy document is and how often it is re-read (configuration section <c>Policy</c>).</summary>
public sealed class PolicyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Policy";

    /// <summary>The document's path, absolute or relative to the working directory; required.</summary>
    public string? Path { get; set; }

    /// <summary>How often the file is checked for changes (default 2 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
