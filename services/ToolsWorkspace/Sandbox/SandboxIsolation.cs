namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>How script workers are isolated from the host and from each other.</summary>
public enum SandboxIsolation
{
    /// <summary>Bubblewrap when it works on this host, otherwise plain processes (logged and shown in /health).</summary>
    Auto,

    /// <summary>Bubblewrap namespaces are required; without them no script runs.</summary>
    Bubblewrap,

    /// <summary>Plain child processes with limits and an empty environment, by configuration.</summary>
    Process,
}
