using McpPlatform.Core;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.AppHost;

/// <summary>How every platform service is added: fixed port, health check, environment.</summary>
internal static class PlatformServiceExtensions
{
    /// <summary>
    /// Adds a service project at its fixed local URL. The endpoint is not proxied: the fixed URL
    /// is the service itself, so token audiences and the MCP resource URL are what clients use,
    /// and no proxy hop sits on the hot path.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformService<TProject>(
        this IDistributedApplicationBuilder builder, PlatformService service)
        where TProject : IProjectMetadata, new()
    {
        var project = builder.AddProject<TProject>(service.ResourceName, launchProfileName: null)
            .WithHttpEndpoint(port: service.LocalPort, name: "http", isProxied: false)
            .WithHttpHealthCheck(HealthEndpoints.Health)
            // Idle thread-pool workers sleep instead of spinning: the services share few cores
            // (docs/decisions/008-thread-pool-spinning.md). In run and publish mode alike.
            .WithEnvironment("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0");

        if (builder.ExecutionContext.IsRunMode)
        {
            // Without a launch profile nothing else tells the service its environment.
            project.WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
                .WithEnvironment("DOTNET_ENVIRONMENT", builder.Environment.EnvironmentName);

            // Platform telemetry goes to collector-platform, which checks it again and forwards it
            // to the dashboard (docs/telemetry.md); only the collector itself exports to the
            // dashboard directly.
            if (service != PlatformServices.CollectorPlatform)
            {
                project.WithPlatformCollectorExport(builder, service);
            }
        }

        if (service == PlatformServices.CollectorPlatform)
        {
            // collector-platform exports its own telemetry to the dashboard and forwards the
            // services' there, both over OTLP/HTTP protobuf (decision 007): ask Aspire for the
            // dashboard's HTTP endpoint (it would give gRPC whenever the dashboard also listens
            // for it, as under tests).
            project.WithoutAspireOtlpExport().WithOtlpExporter(OtlpProtocol.HttpProtobuf)
                // Verifies each service's ingest key (TelemetryIngestKeys, docs/telemetry.md).
                .WithEnvironment("CollectorPlatform__IngestKeySecret", IngestSecret(builder));
        }

        return project;
    }

    // Aspire's OTLP annotation, which writes the dashboard's OTLP settings last, over any
    // WithEnvironment value.
    private static IResourceBuilder<ProjectResource> WithoutAspireOtlpExport(this IResourceBuilder<ProjectResource> project)
    {
        foreach (var annotation in project.Resource.Annotations.OfType<OtlpExporterAnnotation>().ToList())
        {
            project.Resource.Annotations.Remove(annotation);
        }

        return project;
    }

    /// <summary>
    /// Points a service's OTLP exporter at collector-platform. Aspire writes its own OTLP settings
    /// (the dashboard) last, over any WithEnvironment value, for resources that carry its OTLP
    /// annotation; so the annotation is removed and the settings Aspire would give are set here,
    /// with the collector as the endpoint.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPlatformCollectorExport(
        this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder, PlatformService service)
    {
        project.WithoutAspireOtlpExport()
            .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", PlatformServices.CollectorPlatform.LocalOrigin)
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .WithEnvironment("OTEL_SERVICE_NAME", service.ResourceName)
            .WithEnvironment("OTEL_RESOURCE_ATTRIBUTES", $"service.instance.id={service.ResourceName}");
        // Each service's own ingest key: collector-platform accepts telemetry only with one, and
        // only as the service the key names. The value never contains ',' '=' or '%'.
        var secret = IngestSecret(builder);
        project.WithEnvironment(async context =>
        {
            var value = await secret.Resource.GetValueAsync(context.CancellationToken)
                ?? throw new InvalidOperationException($"The {TelemetryIngestKeys.SecretParameter} parameter has no value.");
            context.EnvironmentVariables["OTEL_EXPORTER_OTLP_HEADERS"] = $"Authorization=Bearer {TelemetryIngestKeys.Derive(value, service.ResourceName)}";
        });
        if (builder.Environment.IsDevelopment())
        {
            // Aspire's development cadence: telemetry shows up within a second.
            project.WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "1000")
                .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "1000")
                .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000");
        }

        return project;
    }

    /// <summary>
    /// A secret parameter, added once: several resources take the same parameter (the partner
    /// keys reach both partner and the secrets seed), and Aspire refuses a name added twice.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddSecretParameter(this IDistributedApplicationBuilder builder, string name) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == name) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(name, secret: true);

    // One secret for the AppHost, from which every service's telemetry ingest key is derived.
    private static IResourceBuilder<ParameterResource> IngestSecret(IDistributedApplicationBuilder builder) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == TelemetryIngestKeys.SecretParameter) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(TelemetryIngestKeys.SecretParameter, secret: true);

    /// <summary>
    /// Puts a service's audit spool (MCP servers, identity, secrets) under the local data folder (run
    /// mode), so records still waiting for collector-tenant survive a restart of the service and stay
    /// with this clone's data; passes the AppHost's <c>Audit:Durability</c> and <c>Audit:WhenSpoolFull</c>
    /// on when they are set.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAuditSpool(
        this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder, PlatformService service)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            project.WithEnvironment("Audit__SpoolPath",
                Path.Combine(Infrastructure.LocalDataFolder.Resolve(builder), "audit-spool", service.ResourceName));
        }

        // One choice for the whole platform, e.g. eng/run.sh --Audit:Durability=Batched
        // (docs/reliability.md); each service validates the value at start.
        foreach (var setting in (string[])["Durability", "WhenSpoolFull"])
        {
            if (builder.Configuration[$"Audit:{setting}"] is { Length: > 0 } value)
            {
                project.WithEnvironment($"Audit__{setting}", value);
            }
        }

        return project;
    }
}
