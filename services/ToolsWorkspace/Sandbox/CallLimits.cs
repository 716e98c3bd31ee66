namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>What the host enforces on one call from outside the worker.</summary>
/// <param name="WallClock">Wall-clock limit.</param>
/// <param name="Cpu">CPU-time limit.</param>
/// <param name="MaxLineBytes">The longest protocol line the host reads (the output limit, escaped, plus framing).</param>
/// <param name="CheckInterval">How often the watchdog looks.</param>
internal sealed record CallLimits(TimeSpan WallClock, TimeSpan Cpu, int MaxLineBytes, TimeSpan CheckInterval);
