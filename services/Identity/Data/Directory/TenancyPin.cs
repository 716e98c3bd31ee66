namespace McpPlatform.Identity.Data.Directory;

/// <summary>The tenancy setting pinned on the identity service's first start (a single row).</summary>
public sealed class TenancyPin
{
    /// <summary>The one row's key.</summary>
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary><c>TenancyOptions.Describe()</c> at the time of pinning.</summary>
    public required string Setting { get; set; }

    public DateTimeOffset PinnedAt { get; set; }
}
