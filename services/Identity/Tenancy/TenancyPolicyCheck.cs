using McpPlatform.Core;
using McpPlatform.Policy;
using McpPlatform.Policy.Model;

namespace McpPlatform.Identity.Tenancy;

/// <summary>
/// Refuses a policy document whose <c>tenancy</c> differs from the setting in force. At start the
/// document's setting is compared with the database pin (<see cref="TenancyPinCheck"/>, which stops
/// the service on drift), so the setting in force is the pinned one: a reload may never move it.
/// </summary>
internal sealed class TenancyPolicyCheck : IPolicyCheck
{
    public IEnumerable<PolicyError> Check(PlatformPolicy candidate, PlatformPolicy? current)
    {
        if (current is null)
        {
            yield break;
        }

        var pinned = current.Tenancy.Describe();
        var configured = candidate.Tenancy.Describe();
        if (!string.Equals(pinned, configured, StringComparison.Ordinal))
        {
            yield return new PolicyError(PolicyPath.Member(PolicyPath.Root, "tenancy"), "tenancy.pinned",
                $"The document's tenancy '{configured}' differs from the pinned tenancy '{pinned}'. Tokens already issued and data already " +
                $"partitioned follow the pinned setting; restore it, or follow the migration path in {TenancyPinning.MigrationPath}.");
        }
    }

    /// <summary>Copies the document's tenancy into the options identity issues tokens by.</summary>
    public static void Apply(PlatformPolicy policy, TenancyOptions options)
    {
        options.Model = policy.Tenancy.Model;
        options.DataScope = policy.Tenancy.DataScope;
        options.QuotaScope = policy.Tenancy.QuotaScope;
        options.AuditScope = policy.Tenancy.AuditScope;
    }
}
