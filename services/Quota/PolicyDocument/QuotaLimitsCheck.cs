using McpPlatform.Policy;
using McpPlatform.Policy.Model;

namespace McpPlatform.Quota.PolicyDocument;

/// <summary>
/// Quota's own rules on the document's limits (<see cref="Engine.QuotaLimits.Problem"/>: a rate of
/// 0, a fractional negative cost), so a document quota could not apply is refused as a whole
/// instead of the policy source moving to a version the engine then ignores.
/// </summary>
internal sealed class QuotaLimitsCheck : IPolicyCheck
{
    public IEnumerable<PolicyError> Check(PlatformPolicy candidate, PlatformPolicy? current)
    {
        var options = QuotaPolicyMapping.ToOptions(candidate);
        var tiers = PolicyPath.Member(PolicyPath.Root, "tiers");
        foreach (var (name, limits) in options.Tiers)
        {
            if (limits.Problem() is { } problem)
            {
                yield return new PolicyError(PolicyPath.Member(tiers, name), "quota.limits", problem);
            }
        }

        var tenants = PolicyPath.Member(PolicyPath.Root, "tenants");
        foreach (var (id, tenant) in options.Tenants)
        {
            if (tenant.Problem() is { } problem)
            {
                yield return new PolicyError(PolicyPath.Member(PolicyPath.Member(tenants, id), "limits"), "quota.limits", problem);
            }
        }
    }
}
