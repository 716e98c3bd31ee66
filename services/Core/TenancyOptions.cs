namespace McpPlatform.Core;

/// <summary>
/// The tenancy setting (configuration section <c>Tenancy</c>): the model plus optional hybrid
/// scopes for data, quotas and audit, e.g. data per organisation, quotas and audit per user.
/// </summary>
public sealed class TenancyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Tenancy";

    /// <summary>The model.</summary>
    public TenancyModel Model { get; set; } = TenancyModel.Organisation;

    /// <summary>How tenant data (vectors, cache) is partitioned.</summary>
    public TenancyScope DataScope { get; set; } = TenancyScope.Tenant;

    /// <summary>How quotas and budgets are partitioned.</summary>
    public TenancyScope QuotaScope { get; set; } = TenancyScope.Tenant;

    /// <summary>How the audit trail is partitioned.</summary>
    public TenancyScope AuditScope { get; set; } = TenancyScope.Tenant;

    /// <summary>The canonical text pinned in the directory on first start; drift compares this.</summary>
    public string Describe() => $"model={Model};data={DataScope};quota={QuotaScope};audit={AuditScope}";
}
