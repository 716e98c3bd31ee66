using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>What must never appear in platform telemetry after tool calls as contoso: a per-test canary and contoso's own identifiers.</summary>
internal static class ContosoCanaries
{
    public static string[] With(string canary) =>
    [
        canary, DemoDirectory.ContosoTenantId, DemoDirectory.ContosoSlug, DemoDirectory.ContosoAgentClientId,
        DemoDirectory.ContosoUserId, DemoDirectory.ContosoUserName,
    ];

    /// <summary>The text around the first occurrence of a value, for a failure message.</summary>
    public static string Around(string text, string value)
    {
        var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase);
        return text[Math.Max(0, at - 200)..Math.Min(text.Length, at + value.Length + 100)];
    }
}
