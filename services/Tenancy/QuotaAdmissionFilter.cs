using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.Tenancy;

/// <summary>What one tool call actually used; tools add to it, the admission filter settles it at release.</summary>
public sealed class InvocationUsage
{
    private long _tokens;
    private long _costMicros;

    /// <summary>Records usage (e.g. embedding tokens, model cost).</summary>
    /// <param name="tokens">Tokens used.</param>
    /// <param name="cost">Cost used, in the budget's currency.</param>
    public void Add(long tokens, decimal cost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        Interlocked.Add(ref _tokens, tokens);
        Interlocked.Add(ref _costMicros, (long)(cost * 1_000_000m));
    }

    /// <summary>The total so far.</summary>
    public QuotaUsage Total => new(Interlocked.Read(ref _tokens), Interlocked.Read(ref _costMicros) / 1_000_000m);
}

/// <summary>Per-tool usage estimates reserved at admission (configuration section <c>Quota:Estimates</c>).</summary>
public sealed class ToolEstimateOptions
{
    /// <summary>The estimate for tools without their own entry.</summary>
    public QuotaUsage Default { get; set; } = new(100, 0m);

    /// <summary>Estimates by tool name.</summary>
    public Dictionary<string, QuotaUsage> Tools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The estimate for a tool.</summary>
    public QuotaUsage For(string tool) => Tools.TryGetValue(tool, out var estimate) ? estimate : Default;
}

/// <summary>
/// Admits every tool call before it runs and releases the lease afterwards with the actual
/// usage — when the tool succeeds, fails, throws, or the client goes away. A denial becomes the
/// tool result (isError, structuredContent.error with the reason code); the tool never runs.
/// </summary>
public static class QuotaAdmission
{
    /// <summary>
    /// Adds admission to every tool call of this MCP server. Call after
    /// <see cref="McpServerHostingExtensions.AddPlatformMcpServer"/>, so the tenant context exists
    /// when admission runs. Uses the <see cref="IQuotaAdmission"/> already registered (in-process,
    /// <c>AddInProcessQuotaAdmission</c>), else the HTTP client to the <c>quota</c> service.
    /// </summary>
    /// <param name="mcp">The MCP server builder.</param>
    /// <param name="builder">The service's host builder (for the quota client and estimates).</param>
    /// <param name="service">This service.</param>
    /// <returns>The MCP server builder.</returns>
    public static IMcpServerBuilder WithQuotaAdmission(this IMcpServerBuilder mcp, IHostApplicationBuilder builder, PlatformService service)
    {
        ArgumentNullException.ThrowIfNull(mcp);
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(descriptor => descriptor.ServiceType == typeof(IQuotaAdmission)))
        {
            builder.AddQuotaClient(service);
        }

        builder.Services.AddOptions<ToolEstimateOptions>().Bind(builder.Configuration.GetSection("Quota:Estimates"));
        builder.Services.AddScoped<InvocationUsage>();
        builder.Services.AddOptions<DenialPacingOptions>().Bind(builder.Configuration.GetSection(DenialPacingOptions.SectionName));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DenialPacer>();
        builder.Services.AddSingleton<PendingReleases>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PendingReleases>());
        return mcp.WithRequestFilters(filters => filters.AddCallToolFilter(Create));
    }

    private static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (request, cancellationToken) =>
    {
        var services = request.Services ?? throw new InvalidOperationException("The MCP request has no service scope.");
        var tenant = services.GetRequiredService<TenantContextAccessor>().Current
            ?? throw new InvalidOperationException("Admission runs after the tenant context filter.");
        var tool = request.Params?.Name ?? string.Empty;
        var quota = services.GetRequiredService<IQuotaAdmission>();
        var estimate = services.GetRequiredService<IOptionsMonitor<ToolEstimateOptions>>().CurrentValue.For(tool);

        var admission = await quota.AdmitAsync(tenant, tool, estimate, cancellationToken);
        if (admission.Lease is not { } lease)
        {
            // A caller back before the retryAfterSeconds of its last denial gets this one late.
            await services.GetRequiredService<DenialPacer>().PaceAsync(tenant, admission.Denial!, cancellationToken);
            return admission.Denial!.ToToolResult();
        }

        try
        {
            return await next(request, cancellationToken);
        }
        finally
        {
            // Released off the response path: the answer does not wait for the release's round
            // trip. Not the call's token: a cancelled call must still give its slot back; an
            // unreleased lease expires by itself anyway. Shutdown waits for pending releases.
            services.GetRequiredService<PendingReleases>().Track(
                quota.ReleaseAsync(lease, services.GetRequiredService<InvocationUsage>().Total, CancellationToken.None));
        }
    };
}

/// <summary>
/// Releases started but not yet answered. Admission does not wait for them (the release's
/// round trip is off the response path); stopping the host does, so a graceful shutdown
/// settles every call's usage.
/// </summary>
public sealed partial class PendingReleases(ILogger<PendingReleases> logger) : IHostedService
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private int _pending;
    private TaskCompletionSource? _drained;

    /// <summary>Releases in flight now.</summary>
    public int Count => Volatile.Read(ref _pending);

    /// <summary>Follows a release until it completes; never throws.</summary>
    /// <param name="release">The release (which itself never throws for quota outcomes).</param>
    public void Track(Task<bool> release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.IsCompleted)
        {
            Observe(release);
            return;
        }

        Interlocked.Increment(ref _pending);
        release.ContinueWith(static (task, state) => ((PendingReleases)state!).Completed(task),
            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task drained;
        lock (_gate)
        {
            if (_pending == 0)
            {
                return;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        try
        {
            await drained.WaitAsync(DrainLimit, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            LogDrainIncomplete(logger, Count);
        }
    }

    private void Completed(Task<bool> release)
    {
        Observe(release);
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            lock (_gate)
            {
                _drained?.TrySetResult();
            }
        }
    }

    private void Observe(Task<bool> release)
    {
        if (release.IsFaulted)
        {
            LogReleaseFailed(logger, release.Exception.GetBaseException());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A quota release failed; its lease expires by itself.")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} quota releases unanswered; their leases expire by themselves.")]
    private static partial void LogDrainIncomplete(ILogger logger, int count);
}
