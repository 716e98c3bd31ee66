using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace McpPlatform.Policy;

/// <summary>
/// Turns one YAML document into JSON so the schema can judge it. Plain scalars follow the YAML 1.2
/// core schema (null, booleans, integers, floats, else strings); quoted scalars are strings, so
/// <c>"16"</c> stays a string and the schema's <c>type</c> refuses it. Duplicate keys, non-scalar
/// keys and several documents are errors here, never silently resolved.
/// </summary>
internal static partial class YamlJson
{
    private const int MaxDepth = 64;

    public static JsonNode? Parse(string text, List<PolicyError> errors)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                errors.Add(new PolicyError(PolicyPath.Root, "document.empty", "The document is empty."));
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, PolicyPath.Root, anchors, errors, 0);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                errors.Add(new PolicyError(PolicyPath.Root, "yaml.documents", "The file holds more than one YAML document; the policy is one document."));
            }

            return root;
        }
        catch (YamlException exception)
        {
            // The parser's own words, with the place: the author needs both to fix the file.
            errors.Add(new PolicyError(PolicyPath.Root, "yaml.syntax",
                $"Line {exception.Start.Line}, column {exception.Start.Column}: {exception.Message}"));
            return null;
        }
    }

    private static JsonNode? ReadNode(IParser parser, string path, Dictionary<string, JsonNode?> anchors, List<PolicyError> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException(parser.Current?.Start ?? Mark.Empty, parser.Current?.End ?? Mark.Empty, $"The document nests deeper than {MaxDepth} levels.");
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                return anchored?.DeepClone();
            }

            errors.Add(new PolicyError(path, "yaml.alias", $"The alias *{alias.Value.Value} names no anchor defined before it."));
            return null;
        }

        JsonNode? node;
        string anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor.IsEmpty ? string.Empty : scalar.Anchor.Value;
            node = ScalarValue(scalar);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor.IsEmpty ? string.Empty : sequenceStart.Anchor.Value;
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser, PolicyPath.Item(path, array.Count), anchors, errors, depth + 1));
            }

            node = array;
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            anchor = mappingStart.Anchor.IsEmpty ? string.Empty : mappingStart.Anchor.Value;
            var map = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (!parser.TryConsume<Scalar>(out var key))
                {
                    errors.Add(new PolicyError(path, "yaml.key", "A key must be a plain value, not a list or a map."));
                    ReadNode(parser, path, anchors, [], depth + 1);
                    ReadNode(parser, path, anchors, [], depth + 1);
                    continue;
                }

                var childPath = PolicyPath.Member(path, key.Value);
                var value = ReadNode(parser, childPath, anchors, errors, depth + 1);
                if (map.ContainsKey(key.Value))
                {
                    errors.Add(new PolicyError(childPath, "yaml.duplicate_key", $"The key '{key.Value}' appears more than once."));
                    continue;
                }

                map[key.Value] = value;
            }

            node = map;
        }

        if (anchor.Length > 0)
        {
            anchors[anchor] = node?.DeepClone();
        }

        return node;
    }

    private static JsonValue? ScalarValue(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str"))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (Float().IsMatch(text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
