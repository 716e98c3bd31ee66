using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpPlatform.ToolsWorkspace.Apis;

/// <summary>Source-generated JSON for the connections API; unknown members are refused.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ConnectionRequest))]
internal sealed partial class WorkspaceJsonContext : JsonSerializerContext;
