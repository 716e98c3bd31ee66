using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace McpPlatform.Quota.Engine;

/// <summary>
/// Resolves a tenant's effective limits: tier ⊕ configured tenant settings ⊕ the operator's
/// override from Redis. Results are cached per tenant and dropped whenever the configuration
/// reloads or the overrides change, so the hot path is one dictionary lookup.
/// </summary>
public sealed partial class QuotaPolicy : IDisposable
{
    private const int MaxCachedTenants = 100_000;

    private readonly ConcurrentDictionary<string, EffectiveLimits> _cache = new(StringComparer.Ordinal);
    private readonly IDisposable? _subscription;
    private readonly ILogger<QuotaPolicy> _logger;
    private volatile QuotaPolicyOptions _options;
    private volatile bool _loaded;
    private volatile FrozenSet<string> _tools;
    private volatile IReadOnlyDictionary<string, QuotaLimits> _overrides = FrozenDictionary<string, QuotaLimits>.Empty;

    /// <summary>The authority's resolver (the quota service): an invalid policy at start stops the service.</summary>
    /// <param name="options">The policy, watched for reloads.</param>
    /// <param name="logger">Logs rejected reloads.</param>
    public QuotaPolicy(IOptionsMonitor<QuotaPolicyOptions> options, ILogger<QuotaPolicy> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        var initial = options.CurrentValue;
        if (initial.Problem() is { } problem)
        {
            throw new InvalidOperationException($"The quota policy is invalid: {problem}");
        }

        _options = initial;
        _tools = initial.Tools.ToFrozenSet(StringComparer.Ordinal);
        _loaded = true;
        _subscription = options.OnChange(changed => Reload(changed));
    }

    /// <summary>
    /// A follower's resolver (an MCP server admitting in-process): empty until the policy the
    /// quota service published arrives through <see cref="Apply"/>; until then nothing is admitted.
    /// </summary>
    /// <param name="logger">Logs rejected policies.</param>
    public QuotaPolicy(ILogger<QuotaPolicy> logger)
    {
        _logger = logger;
        _options = new QuotaPolicyOptions();
        _tools = FrozenSet<string>.Empty;
    }

    /// <summary>The current policy.</summary>
    public QuotaPolicyOptions Options => _options;

    /// <summary>False only for a follower that has not received a policy yet.</summary>
    public bool IsLoaded => _loaded;

    /// <summary>Applies a policy received from the authority; an invalid one is refused and the last good one kept.</summary>
    /// <param name="options">The policy.</param>
    /// <returns>True when applied.</returns>
    public bool Apply(QuotaPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Reload(options))
        {
            return false;
        }

        _loaded = true;
        return true;
    }

    /// <summary>The operator's overrides by tenant id, as last read from Redis.</summary>
    public IReadOnlyDictionary<string, QuotaLimits> Overrides => _overrides;

    /// <summary>The limits that apply to <paramref name="tenantId"/> now.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>Effective limits.</returns>
    public EffectiveLimits For(string tenantId)
    {
        if (_cache.TryGetValue(tenantId, out var limits))
        {
            return limits;
        }

        if (_cache.Count >= MaxCachedTenants)
        {
            _cache.Clear();
        }

        return _cache.GetOrAdd(tenantId, Resolve);
    }

    /// <summary>The limits configuration alone gives <paramref name="tenantId"/> (without the operator's override).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>Tier name and merged limits.</returns>
    public (string Tier, QuotaLimits Limits) Configured(string tenantId)
    {
        var options = _options;
        options.Tenants.TryGetValue(tenantId, out var tenant);
        var tier = tenant?.Tier ?? options.DefaultTier;
        return (tier, options.Tiers[tier].Overlay(tenant));
    }

    /// <summary>True when admission accepts this tool name under the current policy.</summary>
    /// <param name="tool">A well-formed tool name.</param>
    /// <returns>Whether the tool is known (any tool when the policy lists none).</returns>
    public bool IsKnownTool(string tool)
    {
        var tools = _tools;
        return tools.Count == 0 || tools.Contains(tool);
    }

    /// <summary>Replaces the operator's overrides (read from Redis) and drops cached limits when they changed.</summary>
    /// <param name="overrides">Overrides by tenant id.</param>
    public void SetOverrides(IReadOnlyDictionary<string, QuotaLimits> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        _overrides = overrides;
        _cache.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    private EffectiveLimits Resolve(string tenantId)
    {
        var (tier, limits) = Configured(tenantId);
        _overrides.TryGetValue(tenantId, out var over);
        return EffectiveLimits.From(tier, limits.Overlay(over));
    }

    private bool Reload(QuotaPolicyOptions options)
    {
        // A broken edit must not take admission down: keep enforcing the last good policy.
        if (options.Problem() is { } problem)
        {
            LogRejectedReload(_logger, problem);
            return false;
        }

        _options = options;
        _tools = options.Tools.ToFrozenSet(StringComparer.Ordinal);
        _cache.Clear();
        LogReloaded(_logger);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Quota policy reload rejected, keeping the previous policy: {Problem}")]
    private static partial void LogRejectedReload(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quota policy reloaded.")]
    private static partial void LogReloaded(ILogger logger);
}
