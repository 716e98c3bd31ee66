using System.Text.Json.Serialization;
using McpPlatform.CollectorTenant.Apis;
using McpPlatform.CollectorTenant.Store;

namespace McpPlatform.CollectorTenant.Extensions;

/// <summary>JSON of the collector's own API shapes.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecordsPage))]
[JsonSerializable(typeof(GrantRequest))]
[JsonSerializable(typeof(AuditGrant))]
[JsonSerializable(typeof(GrantRecords))]
[JsonSerializable(typeof(RejectedRecord[]))]
internal sealed partial class CollectorJsonContext : JsonSerializerContext;
