using System.Globalization;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpPlatform.Benchmarks;

/// <summary>
/// The whole platform started by the benchmark itself, as the AppHost runs it (local
/// infrastructure, a fresh data folder, dashboard off, logging at Warning), so a scenario can
/// configure services, stop, start and kill resources, and find their processes. The fixed ports
/// mean no other platform may run meanwhile. Disposing stops it and deletes the data folder.
/// </summary>
public sealed class LocalPlatform : IAsyncDisposable
{
    /// <summary>Bound on starting the platform or one resource.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly DistributedApplication _app;

    private LocalPlatform(DistributedApplication app, string dataFolder)
    {
        _app = app;
        DataFolder = dataFolder;
    }

    /// <summary>The private local-infrastructure folder (PostgreSQL, Redis, audit spools).</summary>
    public string DataFolder { get; }

    /// <summary>The resources the platform consists of.</summary>
    public IReadOnlyList<IResource> Resources => _app.Services.GetRequiredService<DistributedApplicationModel>().Resources.ToList();

    /// <summary>Starts the platform and waits until every service reports healthy.</summary>
    /// <param name="environment">Extra environment per project resource (resource name → variable → value), applied after the AppHost's own.</param>
    /// <param name="everyService">Extra environment for every project resource, applied before <paramref name="environment"/>.</param>
    public static async Task<LocalPlatform> StartAsync(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? environment = null,
        IReadOnlyDictionary<string, string>? everyService = null)
    {
        await EnsureNoneRunningAsync();
        var dataFolder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"mcpplatform-bench-{Guid.NewGuid():N}")).FullName;
        using var cancellation = new CancellationTokenSource(StartTimeout);
        DistributedApplication? app = null;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.McpPlatform_AppHost>(
                ["--Infrastructure:Mode=local", $"--LocalInfrastructure:DataPath={dataFolder}"],
                (options, _) => options.DisableDashboard = true,
                cancellation.Token);
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            builder.Services.AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                // Probes fail while resources start and while a fault is injected: expected.
                .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
            foreach (var project in builder.Resources.OfType<ProjectResource>().Select(builder.CreateResourceBuilder).ToList())
            {
                foreach (var (name, value) in everyService ?? new Dictionary<string, string>())
                {
                    project.WithEnvironment(name, value);
                }
            }

            foreach (var (resource, variables) in environment ?? new Dictionary<string, IReadOnlyDictionary<string, string>>())
            {
                var project = builder.CreateResourceBuilder<ProjectResource>(resource);
                foreach (var (name, value) in variables)
                {
                    project.WithEnvironment(name, value);
                }
            }

            var services = builder.Resources.OfType<ProjectResource>().Select(r => r.Name).Where(name => name != InfrastructureResources.DbMigrator).ToList();
            app = await builder.BuildAsync(cancellation.Token);
            await app.StartAsync(cancellation.Token);
            foreach (var name in services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellation.Token);
            }

            return new LocalPlatform(app, dataFolder);
        }
        catch
        {
            await StopAsync(app, dataFolder);
            throw;
        }
    }

    /// <summary>Runs a resource command (<see cref="KnownResourceCommands"/>), throwing when it fails.</summary>
    public async Task CommandAsync(string resourceName, string command)
    {
        using var cancellation = new CancellationTokenSource(StartTimeout);
        var result = await _app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resourceName, command, cancellation.Token);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {resourceName} failed: {result.Message}");
        }
    }

    /// <summary>Waits (bounded) until the resource reports healthy.</summary>
    public async Task WaitForHealthyAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(StartTimeout);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellation.Token);
    }

    /// <summary>Connection string of a resource, as the services receive it.</summary>
    public async Task<string> ConnectionStringAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(StartTimeout);
        return await _app.GetConnectionStringAsync(resourceName, cancellation.Token)
            ?? throw new InvalidOperationException($"{resourceName} has no connection string.");
    }

    /// <summary>
    /// The processes of a resource now: a service's own executable (<c>…/McpPlatform.ToolsKnowledge</c>),
    /// or, for the local servers, the one whose command line names this platform's data folder
    /// (PostgreSQL's postmaster; redis-server through its pid file, since it retitles itself).
    /// </summary>
    public IReadOnlyList<int> Pids(string resourceName)
    {
        var resource = Resources.Single(r => r.Name == resourceName);
        if (resource is ProjectResource project)
        {
            var executable = Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath);
            return [.. ProcFs.All().Where(p => IsExecutable(p.CommandLine, executable)).Select(p => p.Pid)];
        }

        if (resourceName == InfrastructureResources.Redis)
        {
            var pidFile = Path.Combine(DataFolder, "redis", "redis.pid");
            return File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ProcFs.CommandLine(pid).Contains("redis-server", StringComparison.Ordinal) ? [pid] : [];
        }

        return [.. ProcFs.All().Where(p => p.CommandLine.Contains(DataFolder, StringComparison.Ordinal)
            && Path.GetFileName(p.CommandLine.Split(' ')[0]) == resourceName).Select(p => p.Pid)];
    }

    /// <summary>Sends SIGKILL to every process of the resource; returns how many.</summary>
    public int Kill(string resourceName)
    {
        var pids = Pids(resourceName);
        foreach (var pid in pids)
        {
            Machine.Run("kill", $"-KILL {pid}");
        }

        return pids.Count;
    }

    public async ValueTask DisposeAsync() => await StopAsync(_app, DataFolder);

    /// <summary>Fails with a clear message when any fixed platform port already answers.</summary>
    private static async Task EnsureNoneRunningAsync()
    {
        foreach (var service in PlatformServices.All)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(service.LocalUrl.Host, service.LocalUrl.Port).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                continue;
            }

            throw new InvalidOperationException(
                $"{service.ResourceName}'s port {service.LocalUrl.Port} already answers: another platform is running (eng/run.sh, the AppHost or AppHost tests). Stop it first; this scenario starts its own on the same fixed ports.");
        }
    }

    private static async Task StopAsync(DistributedApplication? app, string dataFolder)
    {
        if (app is not null)
        {
            using var cancellation = new CancellationTokenSource(StartTimeout);
            await app.StopAsync(cancellation.Token);
            await app.DisposeAsync();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (ProcFs.All().Any(p => p.CommandLine.Contains(dataFolder, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Directory.Delete(dataFolder, recursive: true);
    }

    private static bool IsExecutable(string commandLine, string executable)
    {
        var program = Path.GetFileName(commandLine.Split(' ', 2)[0]);
        return program == executable
            || (program == "dotnet" && commandLine.Split(' ').Skip(1).Any(arg => Path.GetFileName(arg) == executable + ".dll"));
    }
}

/// <summary>What /proc says about the machine's processes (Linux).</summary>
internal static class ProcFs
{
    /// <summary>Every other process with its command line (empty for kernel threads and processes gone meanwhile).</summary>
    public static IEnumerable<(int Pid, string CommandLine)> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => (ok: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid), pid))
            .Where(x => x.ok && x.pid != Environment.ProcessId)
            .Select(x => (x.pid, CommandLine(x.pid)));

    public static string CommandLine(int pid) => Read($"/proc/{pid}/cmdline")?.Replace('\0', ' ').Trim() ?? string.Empty;

    /// <summary>Resident set size in MiB (VmRSS), or null when the process is gone.</summary>
    public static double? RssMiB(int pid)
    {
        var line = Read($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>The direct children of a process.</summary>
    public static IEnumerable<int> Children(int pid) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child) ? child : 0)
            .Where(child => child > 0 && Read($"/proc/{child}/stat") is { } stat
                && stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == pid.ToString(CultureInfo.InvariantCulture));

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
