using System.Reflection;
using System.Text.Json;

namespace McpPlatform.McpServer.Pipeline;

/// <summary>
/// One node of a tool's input schema, read once from the JSON Schema the SDK generates from the
/// tool method's parameters, in the subset it generates: <c>type</c> (one name or a list with
/// <c>"null"</c>), <c>properties</c>, <c>required</c>, <c>additionalProperties</c>, <c>items</c>
/// and <c>enum</c>. Keywords outside the subset (<c>anyOf</c>, <c>$ref</c>, …) make a node accept
/// anything: the checker refuses only what it understands to be wrong, and the tool's own checks
/// stay in place behind it. A hand-written subset instead of a JSON Schema library: the SDK's
/// output is this small, the check runs on every call, and the messages must name the argument in
/// the platform's words, which a general validator's error tree would have to be translated into.
/// </summary>
internal sealed class ArgumentSchema
{
    private static readonly ArgumentSchema s_anything = new();

    private ArgumentSchema()
    {
    }

    /// <summary>The JSON types allowed; <see cref="JsonTypes.Any"/> when the schema does not say.</summary>
    public JsonTypes Types { get; private init; } = JsonTypes.Any;

    /// <summary>Allowed string values (compared as the enum converter reads them: case-insensitive).</summary>
    public IReadOnlySet<string>? Enum { get; private init; }

    /// <summary>Named properties of an object.</summary>
    public IReadOnlyDictionary<string, ArgumentSchema> Properties { get; private init; } = new Dictionary<string, ArgumentSchema>();

    /// <summary>Properties an object must have.</summary>
    public IReadOnlyList<string> Required { get; private init; } = [];

    /// <summary>The schema of an object's other properties; null when any are allowed.</summary>
    public ArgumentSchema? AdditionalProperties { get; private init; }

    /// <summary>Whether an object may have properties beyond <see cref="Properties"/>.</summary>
    public bool AllowsOtherProperties { get; private init; } = true;

    /// <summary>The schema of an array's items; null when any are allowed.</summary>
    public ArgumentSchema? Items { get; private init; }

    /// <summary>The .NET number type the value binds to, when known (its range and integer-ness apply).</summary>
    public Type? NumberType { get; private init; }

    /// <summary>Reads a tool's input schema; <paramref name="method"/> (when the tool is a method) gives the .NET number types of its parameters.</summary>
    /// <param name="schema">The tool's <c>inputSchema</c>.</param>
    /// <param name="method">The tool's method, if it has one.</param>
    /// <returns>The root node (an object).</returns>
    public static ArgumentSchema Read(JsonElement schema, MethodInfo? method)
    {
        var parameters = method?.GetParameters()
            .Where(parameter => parameter.Name is not null)
            .GroupBy(parameter => parameter.Name!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First().ParameterType, StringComparer.Ordinal);
        return Read(schema, parameters, null, root: true);
    }

    private static ArgumentSchema Read(JsonElement schema, Dictionary<string, Type>? parameters, Type? clrType, bool root = false)
    {
        if (schema.ValueKind != JsonValueKind.Object || HasUnsupportedKeyword(schema))
        {
            return s_anything;
        }

        var types = TypesOf(schema);
        var properties = new Dictionary<string, ArgumentSchema>(StringComparer.Ordinal);
        if (schema.TryGetProperty("properties", out var declared) && declared.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in declared.EnumerateObject())
            {
                Type? parameterType = null;
                parameters?.TryGetValue(property.Name, out parameterType);
                properties[property.Name] = Read(property.Value, null, parameterType);
            }
        }

        string[] required = schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array
            ? [.. names.EnumerateArray().Where(name => name.ValueKind == JsonValueKind.String).Select(name => name.GetString()!)]
            : [];

        ArgumentSchema? additional = null;
        // The top level (the parameter list) is closed: an argument no parameter takes is a
        // caller's mistake (a misspelt name) that binding would silently drop.
        var allowsOther = !root;
        if (schema.TryGetProperty("additionalProperties", out var other))
        {
            if (other.ValueKind == JsonValueKind.False)
            {
                allowsOther = false;
            }
            else if (other.ValueKind == JsonValueKind.Object)
            {
                allowsOther = true;
                additional = Read(other, null, ElementType(clrType, dictionaryValue: true));
            }
        }

        HashSet<string>? allowed = null;
        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array
            && values.EnumerateArray().All(value => value.ValueKind is JsonValueKind.String or JsonValueKind.Null))
        {
            allowed = new HashSet<string>(
                values.EnumerateArray().Where(value => value.ValueKind == JsonValueKind.String).Select(value => value.GetString()!),
                StringComparer.OrdinalIgnoreCase);
        }

        return new ArgumentSchema
        {
            Types = types,
            Enum = allowed,
            Properties = properties,
            Required = required,
            AdditionalProperties = additional,
            AllowsOtherProperties = allowsOther,
            Items = schema.TryGetProperty("items", out var items) ? Read(items, null, ElementType(clrType, dictionaryValue: false)) : null,
            NumberType = NumberTypeOf(clrType),
        };
    }

    private static bool HasUnsupportedKeyword(JsonElement schema) =>
        schema.EnumerateObject().Any(property => property.Name is "anyOf" or "oneOf" or "allOf" or "not" or "$ref" or "if" or "const");

    private static JsonTypes TypesOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return JsonTypes.Any;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return TypeOf(type.GetString());
        }

        if (type.ValueKind != JsonValueKind.Array)
        {
            return JsonTypes.Any;
        }

        var types = JsonTypes.None;
        foreach (var name in type.EnumerateArray())
        {
            types |= name.ValueKind == JsonValueKind.String ? TypeOf(name.GetString()) : JsonTypes.Any;
        }

        return types == JsonTypes.None ? JsonTypes.Any : types;
    }

    private static JsonTypes TypeOf(string? name) => name switch
    {
        "null" => JsonTypes.Null,
        "string" => JsonTypes.String,
        "integer" => JsonTypes.Integer,
        "number" => JsonTypes.Number,
        "boolean" => JsonTypes.Boolean,
        "object" => JsonTypes.Object,
        "array" => JsonTypes.Array,
        _ => JsonTypes.Any,
    };

    private static Type? NumberTypeOf(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type is not null && (type.IsPrimitive || type == typeof(decimal)) && type != typeof(bool) && type != typeof(char)
            && type != typeof(IntPtr) && type != typeof(UIntPtr)
            ? type
            : null;
    }

    // T[] and IEnumerable<T> give T for items; IDictionary<string, T> gives T for other properties.
    private static Type? ElementType(Type? type, bool dictionaryValue)
    {
        if (type is null)
        {
            return null;
        }

        if (!dictionaryValue && type.IsArray)
        {
            return type.GetElementType();
        }

        var arguments = type.IsGenericType ? type.GetGenericArguments() : [];
        return dictionaryValue
            ? arguments.Length == 2 ? arguments[1] : null
            : arguments.Length == 1 ? arguments[0] : null;
    }
}
