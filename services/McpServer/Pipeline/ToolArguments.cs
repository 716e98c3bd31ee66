using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpPlatform.Core;
using ModelContextProtocol.Server;

namespace McpPlatform.McpServer.Pipeline;

/// <summary>
/// Checks a call's arguments against the tool's declared input schema before the tool is bound:
/// a wrong type, a missing required argument, an unknown argument, a null where none is allowed or
/// a number out of its .NET type's range becomes <c>request.invalid_argument</c> naming the argument,
/// instead of the SDK's generic "An error occurred invoking …" from a failed binding. Messages name
/// the argument at fault and never echo its value (docs/reason-codes.md).
/// </summary>
internal static partial class ToolArguments
{
    private const int MaxListedValues = 10;

    // Per tool instance: the schema is read once, the first time the tool is called.
    private static readonly ConditionalWeakTable<McpServerTool, ArgumentSchema> s_schemas = [];

    private static readonly Dictionary<string, JsonElement> s_none = [];

    /// <summary>The parsed input schema of a tool (cached).</summary>
    /// <param name="tool">A registered tool.</param>
    /// <returns>The root node.</returns>
    public static ArgumentSchema SchemaOf(McpServerTool tool) =>
        s_schemas.GetValue(tool, static tool => ArgumentSchema.Read(tool.ProtocolTool.InputSchema, tool.Metadata.OfType<MethodInfo>().FirstOrDefault()));

    /// <summary>What is wrong with a call's arguments, as a sentence for the caller; null when nothing is.</summary>
    /// <param name="schema">The tool's schema (<see cref="SchemaOf"/>).</param>
    /// <param name="arguments">The call's arguments; null is none.</param>
    /// <returns>The problem, or null.</returns>
    public static string? Problem(ArgumentSchema schema, IDictionary<string, JsonElement>? arguments) => Check(schema, arguments)?.Message;

    /// <summary>What is wrong with a call's arguments: the reason code (<c>request.invalid_argument</c>, or
    /// <c>request.invalid_text</c> for a string that is not valid Unicode) and a sentence; null when nothing is.</summary>
    /// <param name="schema">The tool's schema (<see cref="SchemaOf"/>).</param>
    /// <param name="arguments">The call's arguments; null is none.</param>
    /// <returns>The code and message, or null.</returns>
    public static (string Code, string Message)? Check(ArgumentSchema schema, IDictionary<string, JsonElement>? arguments)
    {
        var code = ToolErrorCodes.InvalidArgument;
        var message = Problem(schema, arguments, ref code);
        return message is null ? null : (code, message);
    }

    private static string? Problem(ArgumentSchema schema, IDictionary<string, JsonElement>? arguments, ref string code)
    {
        arguments ??= s_none;
        foreach (var name in schema.Required)
        {
            if (!arguments.ContainsKey(name))
            {
                return $"Argument '{name}' is required.";
            }
        }

        // Ordinal order: the same arguments give the same message whatever order they came in.
        foreach (var (name, value) in arguments.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!schema.Properties.TryGetValue(name, out var property))
            {
                if (!schema.AllowsOtherProperties)
                {
                    return SafeName().IsMatch(name) ? $"Unknown argument '{name}'." : "An argument has a name this tool does not take.";
                }

                property = schema.AdditionalProperties;
            }

            if (property is not null && ValueProblem(property, value, ref code) is { } problem)
            {
                return $"Argument '{name}' {problem}";
            }
        }

        return null;
    }

    // "must be …" / "has …" completing "Argument 'x' …"; null when the value fits.
    private static string? ValueProblem(ArgumentSchema schema, JsonElement value, ref string code)
    {
        var fits = value.ValueKind switch
        {
            JsonValueKind.Null => schema.Types.HasFlag(JsonTypes.Null),
            JsonValueKind.String => schema.Types.HasFlag(JsonTypes.String),
            JsonValueKind.True or JsonValueKind.False => schema.Types.HasFlag(JsonTypes.Boolean),
            JsonValueKind.Object => schema.Types.HasFlag(JsonTypes.Object),
            JsonValueKind.Array => schema.Types.HasFlag(JsonTypes.Array),
            JsonValueKind.Number => (schema.Types & (JsonTypes.Integer | JsonTypes.Number)) != 0,
            _ => false,
        };
        if (!fits)
        {
            return $"must be {Describe(schema.Types)}.";
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String when !IsUnicode(value):
                code = ToolErrorCodes.InvalidText;
                return "is not valid Unicode text (it has an unpaired surrogate).";
            case JsonValueKind.Number:
                return NumberProblem(schema, value);
            case JsonValueKind.String when schema.Enum is { } allowed && !allowed.Contains(value.GetString()!):
                return $"must be one of: {string.Join(", ", allowed.Take(MaxListedValues))}{(allowed.Count > MaxListedValues ? ", …" : string.Empty)}.";
            case JsonValueKind.Array when schema.Items is { } items:
                foreach (var item in value.EnumerateArray())
                {
                    if (ValueProblem(items, item, ref code) is { } problem)
                    {
                        return $"has an item that {problem}";
                    }
                }

                return null;
            case JsonValueKind.Object:
                return ObjectProblem(schema, value, ref code);
            default:
                return null;
        }
    }

    private static string? ObjectProblem(ArgumentSchema schema, JsonElement value, ref string code)
    {
        foreach (var name in schema.Required)
        {
            if (!value.TryGetProperty(name, out _))
            {
                return $"is missing its property '{name}'.";
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            if (!IsUnicode(property))
            {
                code = ToolErrorCodes.InvalidText;
                return "has a property name that is not valid Unicode text.";
            }

            if (schema.Properties.TryGetValue(property.Name, out var declared))
            {
                if (ValueProblem(declared, property.Value, ref code) is { } problem)
                {
                    return $"has a property '{property.Name}' that {problem}";
                }
            }
            else if (!schema.AllowsOtherProperties)
            {
                return "has a property it does not take.";
            }
            else if (schema.AdditionalProperties is { } other && ValueProblem(other, property.Value, ref code) is { } problem)
            {
                return $"has a value that {problem}";
            }
        }

        return null;
    }

    // The binder reads the number into the parameter's .NET type: out of that type's range (or a
    // fraction for an integer type) is the caller's mistake, not an exception inside the SDK.
    private static string? NumberProblem(ArgumentSchema schema, JsonElement value)
    {
        var integerOnly = !schema.Types.HasFlag(JsonTypes.Number);
        var fits = (schema.NumberType ?? (integerOnly ? typeof(long) : typeof(double))) switch
        {
            var type when type == typeof(int) => value.TryGetInt32(out _),
            var type when type == typeof(long) => value.TryGetInt64(out _),
            var type when type == typeof(short) => value.TryGetInt16(out _),
            var type when type == typeof(byte) => value.TryGetByte(out _),
            var type when type == typeof(sbyte) => value.TryGetSByte(out _),
            var type when type == typeof(uint) => value.TryGetUInt32(out _),
            var type when type == typeof(ulong) => value.TryGetUInt64(out _),
            var type when type == typeof(ushort) => value.TryGetUInt16(out _),
            var type when type == typeof(float) => value.TryGetSingle(out var single) && float.IsFinite(single),
            var type when type == typeof(decimal) => value.TryGetDecimal(out _),
            _ => value.TryGetDouble(out var number) && double.IsFinite(number),
        };
        if (fits)
        {
            return null;
        }

        if (schema.NumberType is { IsPrimitive: true } integerType && integerType != typeof(float) && integerType != typeof(double))
        {
            var min = Convert.ToDecimal(integerType.GetField(nameof(int.MinValue))!.GetValue(null), CultureInfo.InvariantCulture);
            var max = Convert.ToDecimal(integerType.GetField(nameof(int.MaxValue))!.GetValue(null), CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture, $"must be an integer from {min} to {max}.");
        }

        return integerOnly ? "must be an integer." : "must be a number in range.";
    }

    // An escaped lone surrogate ("\ud800") is valid JSON but no .NET string: the binder would throw.
    private static bool IsUnicode(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsUnicode(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(JsonTypes types)
    {
        var names = new List<string>();
        if (types.HasFlag(JsonTypes.String))
        {
            names.Add("a string");
        }

        if (types.HasFlag(JsonTypes.Number))
        {
            names.Add("a number");
        }
        else if (types.HasFlag(JsonTypes.Integer))
        {
            names.Add("an integer");
        }

        if (types.HasFlag(JsonTypes.Boolean))
        {
            names.Add("true or false");
        }

        if (types.HasFlag(JsonTypes.Object))
        {
            names.Add("an object");
        }

        if (types.HasFlag(JsonTypes.Array))
        {
            names.Add("an array");
        }

        if (types.HasFlag(JsonTypes.Null))
        {
            names.Add("null");
        }

        return names.Count == 0 ? "absent" : string.Join(" or ", names);
    }

    // A name the caller sent is repeated only when it cannot carry control characters or bulk.
    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}\z")]
    private static partial Regex SafeName();
}
