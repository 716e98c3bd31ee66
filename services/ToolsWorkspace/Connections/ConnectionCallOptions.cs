namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>Limits of one <c>call_connection</c> (configuration section <c>Workspace:Connections</c>).</summary>
public sealed class ConnectionCallOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workspace:Connections";

    /// <summary>Largest request body a call may send (UTF-8 bytes).</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest response body a tool result carries; the rest is cut and <c>truncated</c> is true.</summary>
    public int MaxResponseBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long the connection's API has to answer, headers and body.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>What is wrong with the options, if anything.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxRequestBodyBytes is < 1 or > 16 * 1024 * 1024)
        {
            problems.Add("MaxRequestBodyBytes must be 1 to 16 MiB.");
        }

        if (MaxResponseBodyBytes is < 1 or > 4 * 1024 * 1024)
        {
            problems.Add("MaxResponseBodyBytes must be 1 to 4 MiB.");
        }

        if (TimeoutSeconds is < 1 or > 300)
        {
            problems.Add("TimeoutSeconds must be 1 to 300.");
        }

        return problems;
    }
}
