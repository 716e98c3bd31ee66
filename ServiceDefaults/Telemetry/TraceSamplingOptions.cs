namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>Configuration section <c>Telemetry:Traces</c>: the trace budget of one service process.</summary>
public sealed class TraceSamplingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Telemetry:Traces";

    /// <summary>New traces a second this process starts at most (0: only follow sampled callers). Default 20.</summary>
    public double MaxPerSecond { get; set; } = 20;

    /// <summary>How many times <see cref="MaxPerSecond"/> spans of callers' sampled traces may use. Default 10.</summary>
    public double FollowFactor { get; set; } = 10;

    /// <summary>Throws a clear error for a budget that cannot be right.</summary>
    public void Validate()
    {
        if (!double.IsFinite(MaxPerSecond) || MaxPerSecond < 0)
        {
            throw new InvalidOperationException($"{SectionName}:MaxPerSecond must be 0 or more (it was {MaxPerSecond}).");
        }

        if (!double.IsFinite(FollowFactor) || FollowFactor < 1)
        {
            throw new InvalidOperationException($"{SectionName}:FollowFactor must be 1 or more (it was {FollowFactor}).");
        }
    }
}
