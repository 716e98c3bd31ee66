using System.Text.Json;
using System.Text.Json.Serialization;
using McpPlatform.Secrets.Store;

namespace McpPlatform.Secrets.Apis;

/// <summary>Source-generated JSON metadata of the secrets API's bodies (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreateSecretRequest))]
[JsonSerializable(typeof(RotateSecretRequest))]
[JsonSerializable(typeof(ReadSecretRequest))]
[JsonSerializable(typeof(SecretMetadata))]
[JsonSerializable(typeof(IReadOnlyList<SecretMetadata>))]
internal sealed partial class SecretsJsonContext : JsonSerializerContext;
