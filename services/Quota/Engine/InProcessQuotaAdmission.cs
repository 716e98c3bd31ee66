using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using McpPlatform.Core;
using McpPlatform.Core.Quota;

namespace McpPlatform.Quota.Engine;

/// <summary>
/// Admission inside the MCP server's process: the same engine and Lua as the quota service,
/// one EVALSHA to Redis per admit and one per release, no HTTP hop
/// (docs/decisions/005-in-process-admission.md). The policy is the one the quota service
/// published; until it arrives every call is denied (fail closed).
/// </summary>
/// <remarks>
/// A tenant already holding its whole concurrency cap in this instance alone is denied here
/// without asking Redis: leases granted by this instance and not yet released are a lower
/// bound of the partition's leases everywhere, so the local answer is never wrong, and a
/// flooding tenant's denials cost no network round trip. Everything else is Redis's decision.
/// </remarks>
public sealed class InProcessQuotaAdmission(QuotaEngine engine, QuotaPolicy policy) : IQuotaAdmission
{
    // Partitions with a lease granted here; counts are decremented when the release is sent.
    private readonly ConcurrentDictionary<string, StrongBox<int>> _held = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<Admission> AdmitAsync(TenantContext tenant, string tool, QuotaUsage estimate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(estimate);
        if (!policy.IsLoaded)
        {
            return Unavailable("The quota policy has not reached this server yet, so admission cannot be decided; the call was not run.", 1);
        }

        if (Problem(tenant, tool, estimate, policy) is { } problem)
        {
            return Unavailable($"Admission could not be decided: {problem}", null);
        }

        var limits = policy.For(tenant.TenantId);
        var held = _held.GetOrAdd(tenant.QuotaPartition, static _ => new StrongBox<int>());
        var local = Volatile.Read(ref held.Value);
        var input = new AdmissionInput(tenant.TenantId, tenant.PrincipalId, tenant.QuotaPartition, tool, estimate.Tokens, QuotaUnits.ToMicros(estimate.Cost));
        if (limits.TenantConcurrency >= 0 && local >= limits.TenantConcurrency)
        {
            return new Admission(null, QuotaEngine.Explain(QuotaScripts.Outcome.ConcurrencyTenant, local, 0, limits, input, 0));
        }

        var decision = await engine.AdmitAsync(input);
        if (decision.Lease is not { } lease)
        {
            return new Admission(null, decision.Denial);
        }

        Interlocked.Increment(ref held.Value);
        return new Admission(new QuotaLease(string.Empty, decision.ExpiresAt) { Handle = new Held(lease, held) }, null);
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(QuotaLease lease, QuotaUsage actual, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(actual);
        if (lease.Handle is not Held held || Interlocked.Exchange(ref held.Released, 1) == 1)
        {
            return false;
        }

        Interlocked.Decrement(ref held.Partition.Value);
        var options = policy.Options;
        var settled = new QuotaUsage(Math.Clamp(actual.Tokens, 0, options.MaxTokensPerCall), Math.Clamp(actual.Cost, 0, options.MaxCostPerCall));
        try
        {
            return await engine.ReleaseAsync(held.Lease, settled);
        }
        catch (QuotaUnavailableException)
        {
            // Logged by the engine; the lease expires by itself.
            return false;
        }
    }

    private static string? Problem(TenantContext tenant, string tool, QuotaUsage estimate, QuotaPolicy policy)
    {
        if (!QuotaKeys.IsValidId(tenant.TenantId) || !QuotaKeys.IsValidId(tenant.PrincipalId) || !QuotaKeys.IsValidId(tenant.QuotaPartition))
        {
            return "the caller's tenant, principal or quota partition id is not one quota can key on.";
        }

        if (!policy.IsKnownTool(tool))
        {
            return $"the quota policy does not list the tool '{tool}'.";
        }

        var options = policy.Options;
        return estimate.Tokens < 0 || estimate.Tokens > options.MaxTokensPerCall || estimate.Cost < 0 || estimate.Cost > options.MaxCostPerCall
            ? $"the tool's usage estimate is outside 0-{options.MaxTokensPerCall} tokens and 0-{options.MaxCostPerCall} cost (Quota:Estimates)."
            : null;
    }

    private static Admission Unavailable(string message, int? retryAfterSeconds) =>
        new(null, new QuotaDenial(ReasonCodes.Unavailable, message, retryAfterSeconds, null, null, null));

    private sealed class Held(LeaseHandle lease, StrongBox<int> partition)
    {
        public int Released;

        public LeaseHandle Lease { get; } = lease;

        public StrongBox<int> Partition { get; } = partition;
    }
}
