using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpPlatform.Core;

/// <summary>JSON shape of audit contracts on the wire (camelCase, source-generated).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(AuditBatch))]
[JsonSerializable(typeof(AuditBatchResult))]
public sealed partial class AuditJsonContext : JsonSerializerContext;
