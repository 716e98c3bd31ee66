namespace McpPlatform.ToolsWorkspace.Tests.Sandbox;

/// <summary>
/// The sandbox tests start real worker processes (about half a CPU-second each): one class at a
/// time, so they do not starve the test assemblies CI runs beside them on two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SandboxWorkersGroup
{
    public const string Name = "sandbox workers";
}
