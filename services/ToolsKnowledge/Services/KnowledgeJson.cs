namespace McpPlatform.ToolsKnowledge.Services;

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SearchKey))]
[System.Text.Json.Serialization.JsonSerializable(typeof(HashedContent))]
internal sealed partial class KnowledgeJson : System.Text.Json.Serialization.JsonSerializerContext;
