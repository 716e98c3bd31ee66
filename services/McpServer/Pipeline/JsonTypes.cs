namespace McpPlatform.McpServer.Pipeline;

/// <summary>The JSON Schema types a schema node allows.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    String = 2,
    Integer = 4,
    Number = 8,
    Boolean = 16,
    Object = 32,
    Array = 64,
    Any = Null | String | Integer | Number | Boolean | Object | Array,
}
