namespace McpPlatform.Identity.Tenancy;

/// <summary>Compares the pinned tenancy setting with the configured one.</summary>
public static class TenancyPinning
{
    /// <summary>Where the way from one tenancy model to another is written down.</summary>
    public const string MigrationPath = "docs/tenancy.md, section \"Changing the tenancy model\"";

    /// <summary>
    /// Null when the configured setting matches the pinned one; otherwise the message the service
    /// refuses to start with. Ordinal comparison of <c>TenancyOptions.Describe()</c> texts: any
    /// difference in model or hybrid scope changes what tokens carry, so any difference is drift.
    /// </summary>
    public static string? DescribeDrift(string pinned, string configured)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        ArgumentNullException.ThrowIfNull(configured);
        if (string.Equals(pinned, configured, StringComparison.Ordinal))
        {
            return null;
        }

        return $"The tenancy setting is pinned to '{pinned}' in the identity database, but this start is configured " +
            $"with '{configured}'. Tokens already issued and data already partitioned follow the pinned setting, so " +
            $"the identity service refuses to start. Restore the pinned setting, or follow the migration path in {MigrationPath}.";
    }
}
