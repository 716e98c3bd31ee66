using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpPlatform.Core.Quota;

/// <summary>Serialisation of the quota wire contract (web defaults: camelCase, case-insensitive reads).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdmitRequest))]
[JsonSerializable(typeof(AdmitResponse))]
[JsonSerializable(typeof(ReleaseRequest))]
[JsonSerializable(typeof(ReleaseResponse))]
public sealed partial class QuotaJsonContext : JsonSerializerContext;
