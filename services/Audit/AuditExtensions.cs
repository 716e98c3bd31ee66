using McpPlatform.Core;
using McpPlatform.ServiceClients;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.Audit;

/// <summary>Registration of the tenant audit pipeline's emitter side.</summary>
public static class AuditExtensions
{
    /// <summary>
    /// The emitter side of the tenant audit pipeline, for any platform service that writes records
    /// (MCP servers through their call pipeline, identity for token exchanges): the
    /// <see cref="AuditEmitter"/> to hand records to, a durable local spool (configuration section
    /// <c>Audit</c>) and the background delivery to <c>collector-tenant</c>, authenticating with this
    /// service's own client credentials (<c>Identity:ClientId</c>/<c>Identity:ClientSecret</c>,
    /// scope <c>audit:write</c>).
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <param name="service">This service (its name names the default spool folder and client id).</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddAuditEmitter(this IHostApplicationBuilder builder, PlatformService service)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(service);
        if (builder.Services.Any(d => d.ServiceType == typeof(AuditEmitter)))
        {
            return builder;
        }

        builder.AddServerClient(service);
        builder.Services.AddOptions<AuditOptions>()
            .Bind(builder.Configuration.GetSection(AuditOptions.SectionName))
            .Validate(options => options.MaxSpoolBytes >= 1024 * 1024, "Audit:MaxSpoolBytes must be at least 1 MiB.")
            .Validate(options => Enum.IsDefined(options.Durability), "Audit:Durability must be Acknowledged or Batched.")
            .Validate(options => Enum.IsDefined(options.WhenSpoolFull), "Audit:WhenSpoolFull must be FailClosed or KeepServing.")
            .Validate(options => options.BatchSize is >= 1 and <= AuditLimits.MaxRecordsPerBatch,
                $"Audit:BatchSize must be 1-{AuditLimits.MaxRecordsPerBatch}.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new AuditEmitter(
            services.GetRequiredService<IOptions<AuditOptions>>(),
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            services.GetRequiredService<ILogger<AuditEmitter>>())
        {
            Spool = services.GetRequiredService<AuditSpool>(),
        });
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
            var folder = options.SpoolPath is { Length: > 0 } configured
                ? Path.GetFullPath(configured)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
                    "mcpplatform", "audit-spool", service.ResourceName);
            return new AuditSpool(folder, options.MaxSpoolBytes, services.GetRequiredService<ILoggerFactory>().CreateLogger<AuditSpool>());
        });
        builder.Services.AddHttpClient(AuditServiceToken.HttpClientName);
        builder.Services.TryAddSingleton<AuditServiceToken>();

        // The shipper does its own retries with backoff (resends are idempotent); the shared
        // defaults' circuit breaker and hedging would only blur when the collector is back.
        var collector = builder.Services.AddHttpClient(AuditShipper.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(15));
#pragma warning disable EXTEXP0001
        collector.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<AuditSpoolSignal>();

        // Hosted services stop in reverse order: the shipper has stopped before the writer's final
        // flush, so (as when both loops were one service, cancelled together before that flush)
        // nothing flushed at shutdown is shipped by this process; the next start ships it.
        builder.Services.AddHostedService<AuditSpoolWriter>();
        builder.Services.AddHostedService<AuditShipper>();
        return builder;
    }
}
