namespace McpPlatform.Quota.Engine;

/// <summary>Conversions between the API's units and the integers Redis stores.</summary>
public static class QuotaUnits
{
    /// <summary>Micro-units per cost unit.</summary>
    public const decimal MicrosPerUnit = 1_000_000m;

    /// <summary>Cost to micro-units, rounded up (a reservation never under-counts); -1 stays -1.</summary>
    /// <param name="cost">The cost.</param>
    /// <returns>Micro-units.</returns>
    public static long ToMicros(decimal cost) => cost == -1 ? -1 : (long)decimal.Ceiling(cost * MicrosPerUnit);

    /// <summary>Micro-units to cost; -1 (unlimited) to null.</summary>
    /// <param name="micros">Micro-units.</param>
    /// <returns>The cost.</returns>
    public static decimal? FromMicros(long micros) => micros < 0 ? null : micros / MicrosPerUnit;
}
