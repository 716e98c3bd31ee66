using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpPlatform.AppHost.Tests;

/// <summary>
/// Starts the whole platform once, in local mode, against a private data folder; tears it
/// down afterwards and checks nothing it started is left running.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private DistributedApplication? _app;

    /// <summary>A tenant collector-tenant keeps at most 3 records of, for 30 days (retention tests).</summary>
    public const string RetentionProbeTenant = "retention-probe";

    public string DataFolder { get; } = TestSettings.NewDataFolder();

    /// <summary>Where the fixture's Aspire dashboard listens (frontend and telemetry API).</summary>
    public Uri DashboardUrl
    {
        get
        {
            var dashboard = App.Services.GetRequiredService<DistributedApplicationModel>().Resources
                .OfType<IResourceWithEndpoints>().Single(resource => resource.Name == "aspire-dashboard");
            var endpoint = dashboard.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == "http")
                ?? dashboard.Annotations.OfType<EndpointAnnotation>().First();
            return new Uri(endpoint.AllocatedEndpoint?.UriString ?? throw new InvalidOperationException("The dashboard has no allocated endpoint."));
        }
    }

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The platform has not started.");

    public async ValueTask InitializeAsync()
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StartTimeout);
        // The dashboard runs too (the testing builder leaves it out by default): collector-platform
        // forwards to it, and DashboardTests read what it shows through its telemetry API. The
        // testing builder gives it free ports, so a platform started with eng/run.sh can run beside.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.McpPlatform_AppHost>(
            ["--Infrastructure:Mode=local", $"--LocalInfrastructure:DataPath={DataFolder}", "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true"],
            (options, _) => options.DisableDashboard = false,
            cancellation.Token);
        // The AppHost's appsettings log every resource's output at Information; in a test that
        // is tens of thousands of lines attached to whichever test fails, burying its message.
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // Failing probes while resources start are expected; a resource that never turns
            // healthy fails its test by timeout with its state, which says more than the log.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));

        // collector-tenant: a probe tenant with tiny retention caps and a pass every second, so
        // retention is observable in a test without touching the demo tenants' trails.
        builder.CreateResourceBuilder<ProjectResource>(McpPlatform.Core.PlatformServices.CollectorTenant.ResourceName)
            .WithEnvironment("AuditPolicy__PruneInterval", "00:00:01")
            .WithEnvironment($"AuditPolicy__Tenants__{RetentionProbeTenant}__RetentionDays", "30")
            .WithEnvironment($"AuditPolicy__Tenants__{RetentionProbeTenant}__MaxRows", "3");

        // collector-platform keeps what it receives, before its checks, for the canary tests to read
        // (GET /v1/received with an operator's token); the AppHost itself never turns this on.
        builder.CreateResourceBuilder<ProjectResource>(McpPlatform.Core.PlatformServices.CollectorPlatform.ResourceName)
            .WithEnvironment("CollectorPlatform__ReceivedBufferSize", "500");

        // Every call traced: tests that look for a call's spans (canaries, the dashboard) run beside
        // tests that make hundreds of calls a second, which would spend the default trace budget.
        // The budget itself is covered by PlatformTraceSamplerTests.
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.CreateResourceBuilder(project).WithEnvironment("Telemetry__Traces__MaxPerSecond", "1000000");
        }

        _app = await builder.BuildAsync(cancellation.Token);
        await _app.StartAsync(cancellation.Token);
    }

    /// <summary>Waits (bounded) until the named resources report healthy.</summary>
    public async Task WaitForHealthyAsync(params string[] resourceNames)
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StartTimeout);
        foreach (var name in resourceNames)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellation.Token);
        }
    }

    /// <summary>Connection string of a resource, as the services receive it.</summary>
    public async Task<string> ConnectionStringAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        return await App.GetConnectionStringAsync(resourceName, cancellation.Token)
            ?? throw new InvalidOperationException($"{resourceName} has no connection string.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        LocalProcesses.WaitUntilNoneUse(DataFolder, TestSettings.StepTimeout);
        Directory.Delete(DataFolder, recursive: true);
    }
}

/// <summary>Finds processes whose command line names a folder: the local servers of one test run.</summary>
internal static class LocalProcesses
{
    /// <summary>Every other process on the machine with its command line (empty for kernel threads and processes gone meanwhile).</summary>
    public static IEnumerable<(int Pid, string CommandLine)> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => (ok: int.TryParse(Path.GetFileName(dir), out var pid), pid))
            .Where(x => x.ok && x.pid != Environment.ProcessId)
            .Select(x => (x.pid, ReadCommandLine(x.pid)));

    public static IReadOnlyList<(int Pid, string CommandLine)> Using(string folder) =>
        [.. All().Where(x => x.CommandLine.Contains(folder, StringComparison.Ordinal))];

    /// <summary>A process's environment variables as NAME=value, or none when it is gone or unreadable.</summary>
    public static string[] EnvironmentOf(int pid) => Read($"/proc/{pid}/environ")?.Split('\0', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>A process's /proc stat fields after "(comm)": state [0], ppid [1], process group [2]…; null when it is gone.</summary>
    public static string[]? Stat(int pid) => Read($"/proc/{pid}/stat") is { } stat ? stat[(stat.LastIndexOf(')') + 2)..].Split(' ') : null;

    public static void WaitUntilNoneUse(string folder, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Using(folder).Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(200);
        }

        var left = Using(folder);
        left.ShouldBeEmpty($"processes still running on {folder}: {string.Join("; ", left.Select(p => $"{p.Pid} {p.CommandLine}"))}");
    }

    /// <summary>The local PostgreSQL's port, read from the server's own command line.</summary>
    public static int PostgresPort(string folder)
    {
        var postgres = Using(folder).FirstOrDefault(p => p.CommandLine.Contains("/postgres -D ", StringComparison.Ordinal));
        postgres.CommandLine.ShouldNotBeNull($"no postgres running on {folder}");
        var args = postgres.CommandLine.Split(' ');
        return int.Parse(args[Array.IndexOf(args, "-p") + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ReadCommandLine(int pid) => Read($"/proc/{pid}/cmdline")?.Replace('\0', ' ').Trim() ?? string.Empty;

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while it was read.
            return null;
        }
    }
}
