using McpPlatform.AppHost.Tests.Telemetry;
using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace McpPlatform.AppHost.Tests.Faults;

/// <summary>What the fault tests do to the shared platform: kill a process, stop and start a resource, wait for health.</summary>
internal static class PlatformControl
{
    /// <summary>SIGKILLs the process of a platform service (not its launcher) and returns its pid.</summary>
    public static int KillService(PlatformService service)
    {
        var processes = LocalProcesses.All()
            .Where(p => p.CommandLine.Contains($"/{Assembly(service)}", StringComparison.Ordinal)
                && !p.CommandLine.Contains(".csproj", StringComparison.Ordinal)
                && !p.CommandLine.Contains(" run ", StringComparison.Ordinal))
            .ToList();
        processes.Count.ShouldBe(1, $"the process of {service.ResourceName}: {string.Join(" | ", processes.Select(p => $"{p.Pid} {p.CommandLine}"))}");
        Kill(processes[0].Pid);
        return processes[0].Pid;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public static void Kill(int pid) => Kill(pid, SigKill).ShouldBe(0, $"kill -9 {pid}");

    /// <summary>Waits (bounded) until a service no longer answers on its port.</summary>
    public static async Task WaitUntilDownAsync(PlatformService service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(service.LocalUrl, HealthEndpoints.Alive));
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{service.ResourceName} still answers after the stop command");
            await Task.Delay(200);
        }
    }

    public static async Task CommandAsync(PlatformFixture platform, string resourceName, string command)
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resourceName, command, cancellation.Token);
        result.Success.ShouldBeTrue($"{command} {resourceName}: {result.Message}");
    }

    /// <summary>Waits (bounded) until the resource has stopped after a kill, then starts it and waits until it is healthy.</summary>
    public static async Task StartAgainAsync(PlatformFixture platform, string resourceName)
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        await platform.App.ResourceNotifications.WaitForResourceAsync(resourceName,
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", cancellation.Token);
        await CommandAsync(platform, resourceName, KnownResourceCommands.StartCommand);
        await platform.WaitForHealthyAsync(resourceName);
    }

    /// <summary>The invocation ids under <paramref name="prefix"/> that have a record in the tenant's trail.</summary>
    public static async Task<HashSet<string>> RecordedInvocationsAsync(PlatformFixture platform, string tenant, string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await AuditClient.AppRoleSessionAsync(platform, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var set = new NpgsqlCommand($"SELECT set_config('{AuditDatabaseRoles.TenantSetting}', $1, true)", connection, transaction))
        {
            set.Parameters.Add(new() { Value = tenant });
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = new NpgsqlCommand("SELECT DISTINCT invocation_id FROM audit.records WHERE invocation_id LIKE $1", connection, transaction);
        select.Parameters.Add(new() { Value = prefix + "%" });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Waits (bounded) until every answered call of <paramref name="load"/> has its record; fails naming how many are missing.</summary>
    public static async Task EveryAnsweredCallRecordedAsync(PlatformFixture platform, FaultLoad load, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var recorded = await RecordedInvocationsAsync(platform, DemoDirectory.ContosoTenantId, load.Prefix, cancellationToken);
            var missing = load.Answered.Where(id => !recorded.Contains(id)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline,
                $"{missing.Count} of {load.Answered.Count} answered calls have no audit record (e.g. {string.Join(", ", missing.Take(3))}); callers saw {load.Describe()}");
            await Task.Delay(500, cancellationToken);
        }
    }

    private static string Assembly(PlatformService service) =>
        "McpPlatform." + string.Concat(service.ResourceName.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private const int SigKill = 9;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
