using System.Text.Json;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>What run_script returns when the script finished.</summary>
/// <param name="Value">The script's completion value as JSON (absent for undefined).</param>
/// <param name="Console">What the script wrote with console.*, lines joined with "\n".</param>
/// <param name="Sandbox">How it ran.</param>
public sealed record ScriptResult(JsonElement? Value, string? Console, ScriptSandboxFacts Sandbox);
