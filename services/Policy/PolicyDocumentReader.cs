using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using McpPlatform.Policy.Model;

namespace McpPlatform.Policy;

/// <summary>
/// Reads a policy document: YAML (or JSON, which is YAML) to JSON, the JSON Schema, then the rules
/// the schema cannot express, then the enforcing services' own checks. Returns every error found as
/// (JSON path, rule, message); bad input never escapes as an exception.
/// </summary>
public static class PolicyDocumentReader
{
    /// <summary>The largest document read (1 MiB): a policy is a page or two, not data.</summary>
    public const int MaxDocumentChars = 1 << 20;

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Reads and validates a document.</summary>
    /// <param name="text">The document's text.</param>
    /// <param name="checks">The enforcing services' checks, run only when everything else passed.</param>
    /// <param name="current">The document in force, for checks that compare (null at start).</param>
    /// <returns>The policy and its version, or every error.</returns>
    public static PolicyReadResult Read(string text, IEnumerable<IPolicyCheck>? checks = null, PlatformPolicy? current = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxDocumentChars)
        {
            return PolicyReadResult.Refused([new PolicyError(PolicyPath.Root, "document.too_large", $"The document is longer than {MaxDocumentChars} characters.")]);
        }

        var errors = new List<PolicyError>();
        var node = YamlJson.Parse(text, errors);
        if (errors.Count > 0)
        {
            return PolicyReadResult.Refused(errors);
        }

        var element = JsonSerializer.SerializeToElement(node, _json);
        errors.AddRange(PolicySchema.Evaluate(element));
        if (errors.Count > 0)
        {
            // Names cannot be checked in a document whose shape is wrong; the schema's list comes first.
            return PolicyReadResult.Refused(errors);
        }

        PlatformPolicy policy;
        try
        {
            policy = element.Deserialize<PlatformPolicy>(_json)!;
        }
        catch (JsonException exception)
        {
            // Only a schema that allows what the model cannot hold gets here (e.g. a number past int).
            return PolicyReadResult.Refused([new PolicyError(exception.Path ?? PolicyPath.Root, "document.value", "A value is out of the range this platform supports.")]);
        }

        // The shared rules and every service's checks all see a well-shaped document: list them all.
        errors.AddRange(PolicyRules.Check(policy));
        foreach (var check in checks ?? [])
        {
            errors.AddRange(check.Check(policy, current));
        }

        return errors.Count > 0 ? PolicyReadResult.Refused(errors) : new PolicyReadResult(policy, VersionOf(policy, text), []);
    }

    /// <summary><c>&lt;version&gt;-&lt;first 8 hex digits of the SHA-256 of the text&gt;</c>: two edits that forget to bump the version still differ.</summary>
    private static string VersionOf(PlatformPolicy policy, string text) =>
        $"{policy.Version}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8]}";
}
