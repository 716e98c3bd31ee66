using Microsoft.Extensions.Compliance.Classification;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// The platform's data classes. Values carrying one of them never reach the platform telemetry
/// pipeline in clear: the redactor registered by <c>AddServiceDefaults</c> erases them from logs,
/// and the pipeline's allow-lists keep them out of spans and metrics. Tenant data that someone
/// needs goes to the tenant audit pipeline instead (docs/telemetry.md).
/// </summary>
public static class PlatformTaxonomy
{
    /// <summary>Name of the taxonomy, as it appears in redaction configuration.</summary>
    public const string Name = "McpPlatform";

    /// <summary>Identifies a tenant or one of its principals: tenant id or name, user id, agent client id, e-mail.</summary>
    public static DataClassification TenantIdentity { get; } = new(Name, nameof(TenantIdentity));

    /// <summary>What a tenant sent or stores: tool arguments, document text, queries, client-chosen ids.</summary>
    public static DataClassification Content { get; } = new(Name, nameof(Content));

    /// <summary>Credentials and keys: tokens, client secrets, passwords, partition keys.</summary>
    public static DataClassification Secret { get; } = new(Name, nameof(Secret));

    /// <summary>Every class above: what the platform pipeline's redactor erases.</summary>
    public static DataClassificationSet All { get; } = new(TenantIdentity, Content, Secret);
}
