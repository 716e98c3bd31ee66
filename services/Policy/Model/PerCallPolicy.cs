namespace McpPlatform.Policy.Model;

/// <summary>Bounds on what one call may state as its estimate or actual usage.</summary>
public sealed class PerCallPolicy
{
    /// <summary>Largest token estimate or actual.</summary>
    public long? MaxTokens { get; set; }

    /// <summary>Largest cost estimate or actual.</summary>
    public decimal? MaxCost { get; set; }
}
