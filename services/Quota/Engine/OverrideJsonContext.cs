using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpPlatform.Quota.Engine;

/// <summary>JSON of overrides and change records as stored in Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QuotaLimits))]
[JsonSerializable(typeof(StoredChange))]
[JsonSerializable(typeof(QuotaPolicyOptions))]
internal sealed partial class OverrideJsonContext : JsonSerializerContext;
