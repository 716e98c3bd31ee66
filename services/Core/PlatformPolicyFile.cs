namespace McpPlatform.Core;

/// <summary>
/// Where the platform policy document is named (docs/policy.md): the AppHost passes its path to
/// the services that enforce it under <see cref="ConfigurationKey"/>; nothing else names the file.
/// </summary>
public static class PlatformPolicyFile
{
    /// <summary>The configuration key of the document's path (absolute, or relative to the working directory).</summary>
    public const string ConfigurationKey = "Policy:Path";

    /// <summary>The same key as an environment variable.</summary>
    public const string EnvironmentVariable = "Policy__Path";

    /// <summary>The demo deployment's document, relative to the AppHost's folder.</summary>
    public const string AppHostRelativePath = "policy/platform-policy.yaml";

    /// <summary>The document's JSON Schema, relative to the AppHost's folder.</summary>
    public const string SchemaAppHostRelativePath = "policy/platform-policy.schema.json";
}
