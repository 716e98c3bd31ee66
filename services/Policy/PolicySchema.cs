using System.Text.Json;
using Json.Schema;

namespace McpPlatform.Policy;

/// <summary>
/// The document's JSON Schema (AppHost/policy/platform-policy.schema.json, embedded in this
/// assembly), built once: building registers the schema's <c>$id</c>, so a second build would clash.
/// </summary>
internal static class PolicySchema
{
    public const string ResourceName = "McpPlatform.Policy.platform-policy.schema.json";

    private static readonly Lazy<JsonSchema> _schema = new(Build);

    public static List<PolicyError> Evaluate(JsonElement document)
    {
        var results = _schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<PolicyError>();
        foreach (var node in (results.Details ?? []).Prepend(results))
        {
            if (node.Errors is not { Count: > 0 } nodeErrors)
            {
                continue;
            }

            var path = PolicyPath.FromPointer(node.InstanceLocation.ToString());
            foreach (var (keyword, message) in nodeErrors)
            {
                // A 'false' subschema (additionalProperties: false) reports no keyword of its own:
                // name the keyword of the schema location instead.
                var rule = keyword.Length > 0 ? keyword : node.EvaluationPath.ToString().Split('/')[^1];
                var error = rule == "additionalProperties"
                    ? new PolicyError(path, "schema.additionalProperties", "This property is not allowed here (a typo, or a section the schema does not have).")
                    : new PolicyError(path, $"schema.{rule}", message);
                if (!errors.Contains(error))
                {
                    errors.Add(error);
                }
            }
        }

        // A schema failure with no located error would otherwise refuse the document silently.
        return errors.Count > 0 ? errors : [new PolicyError(PolicyPath.Root, "schema", "The document does not match the schema.")];
    }

    /// <summary>The schema text, for tests and tooling.</summary>
    public static string Text()
    {
        using var stream = typeof(PolicySchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static JsonSchema Build() => JsonSchema.FromText(Text());
}
