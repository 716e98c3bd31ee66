using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using McpPlatform.Core;
using McpPlatform.Quota.Engine;
using Npgsql;
using StackExchange.Redis;

namespace McpPlatform.Benchmarks;

/// <summary>
/// Faults under load: one platform started by the benchmark; for each fault, contoso's agent
/// calls <c>tools/call whoami</c> on tools-knowledge from 8 paced callers (limits lifted, each
/// call with its own invocation id) while the fault is injected and taken back. Per fault: what
/// callers saw, the slowest call during the fault, how long until calls succeed again, which
/// acknowledged calls have no audit record once the spools drained, and whether contoso's
/// concurrency leases come back to 0. Linux only (signals, /proc, tmpfs).
/// </summary>
public sealed partial class FaultsScenario : IScenario
{
    private const int Callers = 8;
    private static readonly TimeSpan s_callerInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_before = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_steadyFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_recoveryTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_leaseTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] s_faults =
        ["redis-kill", "postgres-restart", "collector-down-60s", "mcp-server-kill", "identity-down", "spool-full", "overload-2x", "soak"];

    private static readonly string ToolsKnowledge = PlatformServices.ToolsKnowledge.ResourceName;

    private LocalPlatform _platform = null!;
    private AgentToken? _agentToken;
    private string _auditConnectionString = null!;
    private string _redisConnectionString = null!;
    private string _spoolFolder = null!;
    private double? _capacity;
    private readonly List<string> _notes = [];
    private readonly List<string> _soakRows = [];

    /// <summary>One row of the report's table.</summary>
    private sealed record Row(string Fault, string Saw, string MaxLatency, string FirstOk, string Steady, string Lost, string Leases);

    public async Task<ScenarioReport> RunAsync(BenchmarkOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("faults sends signals, reads /proc and mounts tmpfs.");
        }

        var unknown = options.Only.Except(s_faults).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown faults: {string.Join(", ", unknown)}. Known: {string.Join(", ", s_faults)}");
        }

        var selected = s_faults.Where(f => options.Only.Count == 0 || options.Only.Contains(f))
            .Where(f => f != "soak" || options.SoakMinutes > 0).ToList();
        // tools-knowledge's spool folder is chosen here so that spool-full can put a small tmpfs
        // over it (with tools-knowledge stopped) without touching the other faults.
        _spoolFolder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"mcpplatform-bench-spool-{Guid.NewGuid():N}")).FullName;
        var rows = new List<Row>();
        try
        {
            Console.WriteLine("Starting the platform…");
            await using (_platform = await LocalPlatform.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [ToolsKnowledge] = new Dictionary<string, string> { ["Audit__SpoolPath"] = _spoolFolder },
            }, options.ServiceEnvironment))
            {
                var operatorToken = Platform.Token("operator", PlatformServices.Quota.LocalOrigin);
                await Platform.SetLimitsAsync(operatorToken, DemoDirectory.ContosoTenantId, Platform.Unbounded());
                // The soak outlives a token: the traffic reads a token that is fetched again every 5 minutes.
                _agentToken = new AgentToken("contoso-agent", TimeSpan.FromMinutes(5));
                _auditConnectionString = await _platform.ConnectionStringAsync(InfrastructureResources.AuditDatabase);
                _redisConnectionString = await _platform.ConnectionStringAsync(InfrastructureResources.Redis);
                Console.WriteLine("Warm-up 20 s…");
                await using (var warmup = Traffic.Paced(Endpoint, _agentToken!, "warmup", Callers, s_callerInterval))
                {
                    await Task.Delay(TimeSpan.FromSeconds(20));
                    await warmup.StopAsync();
                }

                foreach (var fault in selected)
                {
                    Console.WriteLine($"— {fault}");
                    Row row;
                    try
                    {
                        row = await RunFaultAsync(fault, options);
                    }
                    catch (Exception exception) when (exception is not OutOfMemoryException)
                    {
                        Console.WriteLine($"  {fault} failed: {exception}");
                        row = new Row(fault, $"not measured: {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}", "—", "—", "—", "—", "—");
                    }

                    Console.WriteLine($"  {row}");
                    rows.Add(row);
                }
            }
        }
        finally
        {
            if (_agentToken is not null)
            {
                await _agentToken.StopAsync();
            }

            Directory.Delete(_spoolFolder, recursive: true);
        }

        return Report(options, rows);
    }

    private static Uri Endpoint => new(PlatformServices.ToolsKnowledge.LocalMcpResource);

    private Task<Row> RunFaultAsync(string fault, BenchmarkOptions options) => fault switch
    {
        "redis-kill" => MeasureAsync(fault, async traffic =>
        {
            var start = Stopwatch.GetTimestamp();
            if (_platform.Kill(InfrastructureResources.Redis) == 0)
            {
                throw new InvalidOperationException("no redis-server process found");
            }

            await Task.Delay(TimeSpan.FromSeconds(10));
            var end = Stopwatch.GetTimestamp();
            await _platform.CommandAsync(InfrastructureResources.Redis, KnownResourceCommands.StartCommand);
            await _platform.WaitForHealthyAsync(InfrastructureResources.Redis);
            return (start, end);
        }),
        "postgres-restart" => MeasurePostgresRestartAsync(fault),
        "collector-down-60s" => MeasureAsync(fault, async traffic =>
        {
            var start = Stopwatch.GetTimestamp();
            await _platform.CommandAsync(PlatformServices.CollectorTenant.ResourceName, KnownResourceCommands.StopCommand);
            await Task.Delay(TimeSpan.FromSeconds(60));
            var end = Stopwatch.GetTimestamp();
            await _platform.CommandAsync(PlatformServices.CollectorTenant.ResourceName, KnownResourceCommands.StartCommand);
            await _platform.WaitForHealthyAsync(PlatformServices.CollectorTenant.ResourceName);
            return (start, end);
        }),
        "mcp-server-kill" => MeasureAsync(fault, async traffic =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5) - s_before);
            var start = Stopwatch.GetTimestamp();
            if (_platform.Kill(ToolsKnowledge) == 0)
            {
                throw new InvalidOperationException("no tools-knowledge process found");
            }

            // The orchestrator has to see the process gone before it accepts a start.
            await RetryAsync(() => _platform.CommandAsync(ToolsKnowledge, KnownResourceCommands.StartCommand));
            var end = Stopwatch.GetTimestamp();
            await _platform.WaitForHealthyAsync(ToolsKnowledge);
            return (start, end);
        }),
        "identity-down" => MeasureIdentityDownAsync(fault),
        "spool-full" => MeasureSpoolFullAsync(fault),
        "overload-2x" => MeasureOverloadAsync(fault),
        "soak" => MeasureSoakAsync(fault, options),
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    /// <summary>Paced traffic, the fault (which returns when it was injected and when taken back), recovery, audit and leases.</summary>
    private async Task<Row> MeasureAsync(string fault, Func<Traffic, Task<(long Start, long End)>> inject)
    {
        var prefix = Prefix(fault);
        await using var traffic = Traffic.Paced(Endpoint, _agentToken!, prefix, Callers, s_callerInterval);
        await Task.Delay(s_before);
        var (start, end) = await inject(traffic);
        var steadyAt = await traffic.WaitForSteadyAsync(end, s_steadyFor, s_recoveryTimeout);
        await traffic.StopAsync();
        return await RowAsync(fault, prefix, traffic, start, end, steadyAt);
    }

    private async Task<Row> MeasurePostgresRestartAsync(string fault)
    {
        using var tokens = new TokenProbe();
        var row = await MeasureAsync(fault, async traffic =>
        {
            var start = Stopwatch.GetTimestamp();
            await _platform.CommandAsync(InfrastructureResources.Postgres, KnownResourceCommands.RestartCommand);
            var end = Stopwatch.GetTimestamp();
            await _platform.WaitForHealthyAsync(InfrastructureResources.Postgres);
            return (start, end);
        });
        await tokens.StopAsync();
        _notes.Add($"postgres-restart, token requests (client credentials, contoso-agent, one every 100 ms through the run): {Summarise(tokens.Outcomes)}; slowest {tokens.MaxMs:0} ms.");
        return row;
    }

    private async Task<Row> MeasureIdentityDownAsync(string fault)
    {
        var echoPrefix = Prefix("echo");
        long start = 0, end = 0, healthy = 0;
        Traffic? echo = null;
        try
        {
            var row = await MeasureAsync(fault, async traffic =>
            {
                echo = Traffic.Paced(Endpoint, _agentToken!, echoPrefix, 1, TimeSpan.FromMilliseconds(250), "downstream_echo", """{"message":"x"}""");
                await Task.Delay(TimeSpan.FromSeconds(2));
                start = Stopwatch.GetTimestamp();
                await _platform.CommandAsync(PlatformServices.Identity.ResourceName, KnownResourceCommands.StopCommand);
                await Task.Delay(TimeSpan.FromSeconds(20));
                end = Stopwatch.GetTimestamp();
                await _platform.CommandAsync(PlatformServices.Identity.ResourceName, KnownResourceCommands.StartCommand);
                await _platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName);
                healthy = Stopwatch.GetTimestamp();
                return (start, end);
            });
            await echo!.StopAsync();
            var during = echo.Calls.Where(c => c.Started >= start && c.Started <= end).ToList();
            var failed = during.Where(c => c.Kind != CallKind.Ok).Select(c => c.Milliseconds).Order().ToList();
            var before = echo.Calls.Where(c => c.Started < start && c.Kind == CallKind.Ok).Select(c => c.Milliseconds).Order().ToList();
            _notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"identity-down, `downstream_echo` (one caller, every 250 ms): before the stop {Summarise(echo.Calls.Where(c => c.Started < start))} (p50 {Median(before):0.0} ms); while identity was stopped {Summarise(during)}; the failed ones (expected: `identity.unavailable`) took p50 {Median(failed):0.0} ms, max {(failed.Count > 0 ? failed[^1] : double.NaN):0.0} ms; after the start command {Summarise(echo.Calls.Where(c => c.Started > end))}; identity was healthy {Stopwatch.GetElapsedTime(end, healthy).TotalSeconds:0.0} s after the start command (its start-up under the load), and from then on {Summarise(echo.Calls.Where(c => c.Started > healthy))}."));
            return row;
        }
        finally
        {
            if (echo is not null)
            {
                await echo.DisposeAsync();
            }
        }
    }

    private async Task<Row> MeasureSpoolFullAsync(string fault)
    {
        // tools-knowledge stopped, a 4 MiB tmpfs over its spool folder, started again: the spool
        // then lives on a disk that can be filled without filling the machine's.
        await _platform.CommandAsync(ToolsKnowledge, KnownResourceCommands.StopCommand);
        await WaitUntilDownAsync(PlatformServices.ToolsKnowledge);
        var mount = Run("mount", $"-t tmpfs -o size=4m tmpfs {_spoolFolder}");
        await _platform.CommandAsync(ToolsKnowledge, KnownResourceCommands.StartCommand);
        await _platform.WaitForHealthyAsync(ToolsKnowledge);
        if (mount is not null)
        {
            return new Row(fault, $"not measured: mount -t tmpfs failed: {mount}", "—", "—", "—", "—", "—");
        }

        try
        {
            var filler = Path.Combine(_spoolFolder, "filler");
            return await MeasureAsync(fault, async traffic =>
            {
                var start = Stopwatch.GetTimestamp();
                Fill(filler);
                await Task.Delay(TimeSpan.FromSeconds(10));
                var end = Stopwatch.GetTimestamp();
                File.Delete(filler);
                return (start, end);
            });
        }
        finally
        {
            await _platform.CommandAsync(ToolsKnowledge, KnownResourceCommands.StopCommand);
            await WaitUntilDownAsync(PlatformServices.ToolsKnowledge);
            var unmount = Run("umount", _spoolFolder);
            await _platform.CommandAsync(ToolsKnowledge, KnownResourceCommands.StartCommand);
            await _platform.WaitForHealthyAsync(ToolsKnowledge);
            if (unmount is not null)
            {
                _notes.Add($"spool-full: umount failed: {unmount}");
            }
        }
    }

    private async Task<Row> MeasureOverloadAsync(string fault)
    {
        // On a small machine the load generator competes with the platform for the same cores, and
        // at twice the capacity it takes the CPU the admitted calls need: what is measured is then
        // the generator. With 2 or more cores the platform's processes get the last core and this
        // process (the generator and the in-process AppHost) the others, for this fault only; the
        // capacity is measured the same way.
        var pinned = Pin();
        try
        {
            var capacity = await ClosedLoopCapacityAsync();
            var rate = capacity * 2;
            var tk = _platform.Pids(ToolsKnowledge).Single();
            var rssBefore = ProcFs.RssMiB(tk);
            var prefix = Prefix(fault);
            var traffic = Traffic.OpenLoop(Endpoint, _agentToken!, prefix, rate);
            var start = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(20));
            var end = Stopwatch.GetTimestamp();
            await traffic.StopAsync();
            var rssAfter = ProcFs.RssMiB(tk);
            var admitted = traffic.Calls.Where(c => c.Kind == CallKind.Ok).Select(c => c.Milliseconds).Order().ToList();
            var overloaded = traffic.Calls.Where(c => c.Kind == CallKind.Http503).Select(c => c.Milliseconds).Order().ToList();
            var retryAfter = traffic.Calls.Count(c => c.Kind == CallKind.Http503 && c.RetryAfter);
            _notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"overload-2x ({pinned}): closed-loop capacity (best of 64 and 256 callers) {capacity:0} calls/s; open loop at {rate:0} calls/s for 20 s: {traffic.Calls.Length} calls sent, {Summarise(traffic.Calls)}; 503 {overloaded.Count} ({retryAfter} with Retry-After, answered in p50 {Percentile(overloaded, 50):0.0} ms, p99 {Percentile(overloaded, 99):0.0} ms); admitted calls p50 {Percentile(admitted, 50):0.0} ms, p99 {Percentile(admitted, 99):0.0} ms, max {(admitted.Count > 0 ? admitted[^1] : double.NaN):0.0} ms; achieved {admitted.Count / 20.0:0} ok calls/s; tools-knowledge RSS {rssBefore:0} → {rssAfter:0} MiB."));
            await traffic.DisposeAsync();
            return await RowAsync(fault, prefix, traffic, start, end, steadyAt: null);
        }
        finally
        {
            Unpin();
        }
    }

    /// <summary>The best closed-loop calls/s at 64 and at 256 callers, each 5 s warm and 10 s measured.</summary>
    private async Task<double> ClosedLoopCapacityAsync()
    {
        using var load = new McpLoad(Endpoint, _agentToken!.Current);
        var best = 0.0;
        foreach (var callers in new[] { 64, 256 })
        {
            await load.RunAsync(callers, 5);
            best = Math.Max(best, (await load.RunAsync(callers, 10)).Samples.Throughput);
        }

        return best;
    }

    /// <summary>Every platform process on the last core, this process on the others; says what it did.</summary>
    private string Pin()
    {
        var cores = Environment.ProcessorCount;
        if (cores < 2)
        {
            return "one core: generator and platform share it";
        }

        var platformCore = (cores - 1).ToString(CultureInfo.InvariantCulture);
        var generatorCores = cores == 2 ? "0" : $"0-{cores - 2}";
        var failures = PlatformPids().Select(pid => Run("taskset", $"-a -p -c {platformCore} {pid}"))
            .Append(Run("taskset", $"-a -p -c {generatorCores} {Environment.ProcessId}"))
            .OfType<string>().ToList();
        return failures.Count == 0
            ? $"platform pinned to core {platformCore}, load generator to core {generatorCores}"
            : $"pinning failed ({failures[0]}): generator and platform share the cores";
    }

    private void Unpin()
    {
        var all = $"0-{Environment.ProcessorCount - 1}";
        foreach (var pid in PlatformPids().Append(Environment.ProcessId))
        {
            Run("taskset", $"-a -p -c {all} {pid}");
        }
    }

    private List<int> PlatformPids() => SoakProcesses().Values.SelectMany(pids => pids()).Distinct().ToList();

    private async Task<Row> MeasureSoakAsync(string fault, BenchmarkOptions options)
    {
        var minutes = options.SoakMinutes;
        var capacity = await CapacityAsync();
        var rate = capacity / 2;
        var prefix = Prefix(fault);
        var groups = SoakProcesses();
        var samples = groups.Keys.ToDictionary(name => name, _ => new List<(double Hours, double MiB)>());
        await using var traffic = Traffic.Paced(Endpoint, _agentToken!, prefix, Callers, TimeSpan.FromSeconds(Callers / rate));
        var start = Stopwatch.GetTimestamp();
        var duration = TimeSpan.FromMinutes(minutes);
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            var hours = Stopwatch.GetElapsedTime(start).TotalHours;
            foreach (var (name, pids) in groups)
            {
                samples[name].Add((hours, pids().Sum(pid => ProcFs.RssMiB(pid) ?? 0)));
            }

            await Task.Delay(TimeSpan.FromSeconds(10));
        }

        var end = Stopwatch.GetTimestamp();
        await traffic.StopAsync();
        foreach (var (name, series) in samples)
        {
            var secondHalf = series.Skip(series.Count / 2).ToList();
            _soakRows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {series[0].MiB:0.0} | {series[^1].MiB:0.0} | {Slope(secondHalf):0.0} |"));
        }

        _notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"soak{(options.ServiceEnvironment.Count == 0 ? "" : $" (every service with {string.Join(", ", options.ServiceEnvironment.Select(e => $"`{e.Key}={e.Value}`"))})")}: {minutes} min paced at {rate:0} calls/s (half the closed-loop capacity of {capacity:0}), {traffic.Calls.Length} calls: {Summarise(traffic.Calls)}; RSS sampled every 10 s (table below)."));
        return await RowAsync(fault, prefix, traffic, start, end, steadyAt: null);
    }

    /// <summary>Closed-loop calls/s at 64 callers (measured once per run).</summary>
    private async Task<double> CapacityAsync()
    {
        if (_capacity is null)
        {
            using var load = new McpLoad(Endpoint, _agentToken!.Current);
            await load.RunAsync(64, 5);
            _capacity = (await load.RunAsync(64, 10)).Samples.Throughput;
        }

        return _capacity.Value;
    }

    private Dictionary<string, Func<IEnumerable<int>>> SoakProcesses()
    {
        var groups = _platform.Resources.OfType<ProjectResource>().Where(r => r.Name != InfrastructureResources.DbMigrator)
            .ToDictionary(r => r.Name, r => (Func<IEnumerable<int>>)(() => _platform.Pids(r.Name)));
        groups[InfrastructureResources.Redis] = () => _platform.Pids(InfrastructureResources.Redis);
        groups["postgres (server + backends)"] = () => _platform.Pids(InfrastructureResources.Postgres).SelectMany(pid => ProcFs.Children(pid).Prepend(pid));
        return groups;
    }

    private async Task<Row> RowAsync(string fault, string prefix, Traffic traffic, long start, long end, long? steadyAt)
    {
        var calls = traffic.Calls;
        var during = calls.Where(c => c.Started >= start && c.Started <= end).ToList();
        var firstOk = calls.Where(c => c.Started >= end && c.Kind == CallKind.Ok).Select(c => c.Ended).DefaultIfEmpty(long.MaxValue).Min();
        // Steady: the first success after the last failure (from then on every call succeeded).
        var lastBad = Math.Max(end, calls.Where(c => c.Kind != CallKind.Ok).Select(c => c.Ended).DefaultIfEmpty(0).Max());
        var steady = calls.Where(c => c.Started >= lastBad && c.Kind == CallKind.Ok).Select(c => c.Ended).DefaultIfEmpty(long.MaxValue).Min();
        var leases = await LeasesAsync();
        var lost = await LostAsync(prefix, calls.Where(c => c.Kind == CallKind.Ok).Select(c => c.InvocationId).ToHashSet());
        return new Row(
            fault,
            Summarise(calls),
            during.Count == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{during.Max(c => c.Milliseconds):0} ms"),
            steadyAt is null ? "—" : firstOk == long.MaxValue ? "none" : Seconds(end, firstOk),
            steadyAt switch
            {
                null => "—",
                long.MaxValue => $"not within {s_recoveryTimeout.TotalSeconds:0} s",
                _ => steady == long.MaxValue ? "none" : Seconds(end, steady),
            },
            lost,
            leases);
    }

    /// <summary>Acknowledged calls whose invocation id has no audit record once the spools drained (bounded wait).</summary>
    private async Task<string> LostAsync(string prefix, HashSet<string> acked)
    {
        var waited = Stopwatch.StartNew();
        var missing = acked.Count;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_auditConnectionString);
                await connection.OpenAsync();
                // The server's admin role: row-level security does not bind it, every tenant's rows are read.
                await using var select = new NpgsqlCommand("SELECT DISTINCT invocation_id FROM audit.records WHERE invocation_id LIKE $1", connection);
                select.Parameters.Add(new NpgsqlParameter { Value = prefix + "%" });
                var found = new HashSet<string>(StringComparer.Ordinal);
                await using (var reader = await select.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        found.Add(reader.GetString(0));
                    }
                }

                missing = acked.Count(id => !found.Contains(id));
            }
            catch (NpgsqlException)
            {
                NpgsqlConnection.ClearAllPools();
            }

            if (missing == 0 || waited.Elapsed > s_drainTimeout)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{missing} of {acked.Count} ({(missing == 0 ? "all in" : "after")} {waited.Elapsed.TotalSeconds:0} s)");
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>contoso's leases in flight (unexpired) once the callers stopped, and whether they come back to 0.</summary>
    private async Task<string> LeasesAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redisConnectionString);
        var key = QuotaKeys.PartitionLeases(DemoDirectory.ContosoTenantId);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var waited = Stopwatch.StartNew();
        long InFlight() => redis.GetDatabase().SortedSetLength(key, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start);
        var first = InFlight();
        var now = first;
        while (now > 0 && waited.Elapsed < s_leaseTimeout)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            now = InFlight();
        }

        return first == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{first} → {now} after {waited.Elapsed.TotalSeconds:0} s");
    }

    private ScenarioReport Report(BenchmarkOptions options, List<Row> rows)
    {
        var markdown = new StringBuilder()
            .AppendLine("## Faults under load")
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit `{Machine.Commit()}`; machine: {Machine.Describe()}."))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- What: one platform started by this benchmark as the AppHost runs it (local infrastructure, fresh data folder, Release build, dashboard off, the services' default settings; tools-knowledge's spool folder chosen by the benchmark). Per fault, contoso's agent calls `tools/call whoami` on `tools-knowledge` from {Callers} callers, each paced at one call per {s_callerInterval.TotalMilliseconds:0} ms ({Callers * 1000 / s_callerInterval.TotalMilliseconds:0} calls/s; limits lifted), each call with its own invocation id (`_meta[\"{McpConventions.InvocationIdMetaKey}\"]`): {s_before.TotalSeconds:0} s before the fault, through it, and until {s_steadyFor.TotalSeconds:0} s without a failed call after it was taken back (at most {s_recoveryTimeout.TotalSeconds:0} s)."))
            .AppendLine("- Columns: *callers saw* = every call of the run by outcome (ok, tool error code, HTTP status, transport error); *max latency* = slowest call started during the fault; *first ok* / *steady* = from taking the fault back (the start or restart command; for redis-kill and the others after their fixed outage) to the first successful call, and to the first success after the last failed call; *records lost* = acknowledged (ok, not error) calls whose invocation id is not in `auditdb`'s `audit.records` after waiting up to 90 s for the spools to drain; *leases* = contoso's unexpired concurrency leases in Redis 1 s after the callers stopped (→ what is left after waiting up to 30 s).")
            .AppendLine("- Faults: `redis-kill` SIGKILL redis-server, start command after 10 s; `postgres-restart` restart command on postgres, with token requests alongside; `collector-down-60s` stop collector-tenant, start after 60 s; `mcp-server-kill` SIGKILL tools-knowledge after 5 s of load, start command at once (retried until accepted); `identity-down` stop identity for 20 s, `downstream_echo` called alongside; `spool-full` tools-knowledge's spool on a 4 MiB tmpfs, filled with a file for 10 s; `overload-2x` open-loop load at twice the closed-loop capacity for 20 s; `soak` paced load at half capacity, RSS of every platform process every 10 s.")
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- Command: `flock /tmp/apphost.lock dotnet run -c Release --project benchmarks/McpPlatform.Benchmarks -- faults{(options.Only.Count > 0 ? " --only " + string.Join(',', options.Only) : string.Empty)} --soak-minutes {options.SoakMinutes}` (no other platform running: it uses the fixed ports)."))
            .AppendLine()
            .AppendLine("| fault | callers saw | max latency during fault | first ok | steady | records lost (acked) | leases in flight after |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            markdown.AppendLine($"| {row.Fault} | {row.Saw} | {row.MaxLatency} | {row.FirstOk} | {row.Steady} | {row.Lost} | {row.Leases} |");
        }

        markdown.AppendLine();
        _notes.ForEach(note => markdown.AppendLine("- " + note));
        if (_soakRows.Count > 0)
        {
            markdown.AppendLine()
                .AppendLine("| process | RSS at start MiB | RSS at end MiB | slope, second half (MiB/hour) |")
                .AppendLine("|---|---|---|---|");
            _soakRows.ForEach(row => markdown.AppendLine(row));
        }

        return new ScenarioReport("Faults under load", markdown.ToString());
    }

    private static string Prefix(string fault) => $"{fault}-{Guid.NewGuid():N}"[..(fault.Length + 13)] + "-";

    private static string Summarise(IEnumerable<Call> calls) => Summarise(calls.Select(c => c.Label));

    private static string Summarise(IEnumerable<string> labels) =>
        string.Join(", ", labels.GroupBy(label => label).OrderByDescending(g => g.Key == "ok").ThenByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));

    private static string Seconds(long from, long to) =>
        string.Create(CultureInfo.InvariantCulture, $"{(to - from) / (double)Stopwatch.Frequency:0.0} s");

    private static double Median(List<double> sorted) => Percentile(sorted, 50);

    private static double Percentile(List<double> sorted, double percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1)];

    /// <summary>Least-squares slope in MiB per hour.</summary>
    private static double Slope(List<(double Hours, double MiB)> series)
    {
        if (series.Count < 2)
        {
            return double.NaN;
        }

        var meanX = series.Average(s => s.Hours);
        var meanY = series.Average(s => s.MiB);
        return series.Sum(s => (s.Hours - meanX) * (s.MiB - meanY)) / series.Sum(s => (s.Hours - meanX) * (s.Hours - meanX));
    }

    /// <summary>Writes zeros until the file system is full.</summary>
    private static void Fill(string path)
    {
        var block = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // Full: smaller writes take what is left.
        }

        try
        {
            while (true)
            {
                file.Write(block, 0, 512);
            }
        }
        catch (IOException)
        {
            // Nothing left.
        }
    }

    /// <summary>Runs a command; null when it succeeded, else what it printed.</summary>
    private static string? Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {output.Trim()}";
    }

    private static async Task RetryAsync(Func<Task> action)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task WaitUntilDownAsync(PlatformService service)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(service.LocalUrl, HealthEndpoints.Alive));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"{service.ResourceName} still answers after the stop command.");
    }

    private enum CallKind { Ok, ToolError, RpcError, Http503, Http5xx, OtherHttp, Transport }

    /// <summary>One call as its caller saw it (Stopwatch timestamps).</summary>
    private sealed record Call(string InvocationId, long Started, long Ended, CallKind Kind, string Label, bool RetryAfter)
    {
        public double Milliseconds => (Ended - Started) * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Calls made while a fault runs, paced per caller or open loop, each recorded.</summary>
    private sealed partial class Traffic : IAsyncDisposable
    {
        // No connection limit: an open loop's calls must queue at the server (where shedding is
        // measured), not in this client's pool waiting for a connection.
        private readonly HttpClient _http = new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(15),
        };

        private readonly ConcurrentQueue<Call> _calls = new();
        private readonly ConcurrentBag<Task> _inFlight = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Uri _endpoint;
        private readonly AgentToken _token;
        private readonly string _prefix;
        private readonly string _tool;
        private readonly JsonElement _arguments;
        private readonly List<Task> _loops = [];
        private long _sequence;
        private long _lastFailure;

        private Traffic(Uri endpoint, AgentToken token, string prefix, string tool, string arguments)
        {
            _endpoint = endpoint;
            _token = token;
            _prefix = prefix;
            _tool = tool;
            using var document = JsonDocument.Parse(arguments);
            _arguments = document.RootElement.Clone();
        }

        /// <summary>The calls answered so far (a snapshot).</summary>
        public Call[] Calls => [.. _calls];

        /// <summary>Each caller starts one call per interval (or at once when the last took longer).</summary>
        public static Traffic Paced(Uri endpoint, AgentToken token, string prefix, int callers, TimeSpan interval, string tool = "whoami", string arguments = "{}")
        {
            var traffic = new Traffic(endpoint, token, prefix, tool, arguments);
            for (var caller = 0; caller < callers; caller++)
            {
                traffic._loops.Add(Task.Run(async () =>
                {
                    var next = Stopwatch.GetTimestamp();
                    while (!traffic._stop.IsCancellationRequested)
                    {
                        await traffic.CallAsync();
                        next = Math.Max(next + (long)(interval.TotalSeconds * Stopwatch.Frequency), Stopwatch.GetTimestamp());
                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait);
                        }
                    }
                }));
            }

            return traffic;
        }

        /// <summary>Calls started at a fixed rate whether or not earlier ones answered.</summary>
        public static Traffic OpenLoop(Uri endpoint, AgentToken token, string prefix, double perSecond)
        {
            var traffic = new Traffic(endpoint, token, prefix, "whoami", "{}");
            traffic._loops.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                long sent = 0;
                while (!traffic._stop.IsCancellationRequested)
                {
                    var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond);
                    for (; sent < due; sent++)
                    {
                        traffic._inFlight.Add(Task.Run(traffic.CallAsync));
                    }

                    await Task.Delay(1);
                }
            }));
            return traffic;
        }

        /// <summary>
        /// Waits until calls have succeeded without a failure for <paramref name="steadyFor"/>
        /// after <paramref name="faultEnd"/>; returns when that stretch began, or long.MaxValue on timeout.
        /// </summary>
        public async Task<long> WaitForSteadyAsync(long faultEnd, TimeSpan steadyFor, TimeSpan timeout)
        {
            while (true)
            {
                var since = Math.Max(faultEnd, Interlocked.Read(ref _lastFailure));
                if (Stopwatch.GetElapsedTime(since) >= steadyFor && _calls.Any(c => c.Started >= faultEnd && c.Kind == CallKind.Ok))
                {
                    return since;
                }

                if (Stopwatch.GetElapsedTime(faultEnd) > timeout)
                {
                    return long.MaxValue;
                }

                await Task.Delay(250);
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
            await Task.WhenAll(_inFlight);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            _http.Dispose();
            _stop.Dispose();
        }

        private async Task CallAsync()
        {
            var id = _prefix + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
            var body = JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0",
                id = 1,
                method = "tools/call",
                @params = new Dictionary<string, object>
                {
                    ["name"] = _tool,
                    ["arguments"] = _arguments,
                    ["_meta"] = new Dictionary<string, string> { [McpConventions.InvocationIdMetaKey] = id },
                },
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token.Current);
            var started = Stopwatch.GetTimestamp();
            CallKind kind;
            string label;
            var retryAfter = false;
            try
            {
                using var response = await _http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                retryAfter = response.Headers.RetryAfter is not null;
                (kind, label) = response.StatusCode switch
                {
                    HttpStatusCode.ServiceUnavailable => (CallKind.Http503, "HTTP 503"),
                    >= HttpStatusCode.InternalServerError => (CallKind.Http5xx, $"HTTP {(int)response.StatusCode}"),
                    _ when !response.IsSuccessStatusCode => (CallKind.OtherHttp, $"HTTP {(int)response.StatusCode}"),
                    _ => Classify(text),
                };
            }
            catch (HttpRequestException exception)
            {
                (kind, label) = (CallKind.Transport, $"transport ({exception.HttpRequestError})");
            }
            catch (TaskCanceledException)
            {
                (kind, label) = (CallKind.Transport, "transport (timeout)");
            }

            var ended = Stopwatch.GetTimestamp();
            if (kind != CallKind.Ok)
            {
                InterlockedMax(ref _lastFailure, ended);
            }

            _calls.Enqueue(new Call(id, started, ended, kind, label, retryAfter));
        }

        /// <summary>A 200's JSON-RPC answer (plain JSON or one SSE message): ok, the tool error's code, or the JSON-RPC error.</summary>
        private static (CallKind, string) Classify(string text)
        {
            var json = text.TrimStart().StartsWith('{') ? text
                : string.Join(string.Empty, text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..]));
            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                if (root.TryGetProperty("error", out var error))
                {
                    return (CallKind.RpcError, $"JSON-RPC error {error.GetProperty("code").GetRawText()}");
                }

                var result = root.GetProperty("result");
                if (!result.TryGetProperty("isError", out var isError) || !isError.GetBoolean())
                {
                    return (CallKind.Ok, "ok");
                }

                if (result.TryGetProperty("structuredContent", out var structured) && structured.TryGetProperty("error", out var toolError)
                    && toolError.TryGetProperty("code", out var code))
                {
                    return (CallKind.ToolError, code.GetString() ?? "tool error");
                }

                var message = result.TryGetProperty("content", out var content) ? content.GetRawText() : string.Empty;
                return (CallKind.ToolError, ReasonCode().Match(message) is { Success: true } match ? match.Value : "tool error (no code)");
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return (CallKind.RpcError, "unreadable answer");
            }
        }

        private static void InterlockedMax(ref long target, long value)
        {
            var current = Interlocked.Read(ref target);
            while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
            {
                current = Interlocked.Read(ref target);
            }
        }

        [GeneratedRegex(@"\b[a-z_]+\.[a-z_]+\b")]
        private static partial Regex ReasonCode();
    }

    /// <summary>
    /// An agent's access token, fetched again every <c>every</c> so that a run longer than the
    /// token's lifetime never sends an expired one; a refresh that fails (identity stopped by a
    /// fault) keeps the current token and is tried again 10 s later.
    /// </summary>
    private sealed class AgentToken
    {
        private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(10);
        private readonly string _principal;
        private readonly TaskCompletionSource _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _refresh;
        private volatile string _current;

        public AgentToken(string principal, TimeSpan every)
        {
            _principal = principal;
            _current = Platform.Token(principal);
            _refresh = Task.Run(() => RefreshAsync(every));
        }

        public string Current => _current;

        public async Task StopAsync()
        {
            _stop.TrySetResult();
            await _refresh;
        }

        private async Task RefreshAsync(TimeSpan every)
        {
            var wait = every;
            while (true)
            {
                if (await Task.WhenAny(Task.Delay(wait), _stop.Task) == _stop.Task)
                {
                    return;
                }

                try
                {
                    _current = Platform.Token(_principal);
                    wait = every;
                }
                catch (InvalidOperationException exception)
                {
                    Console.WriteLine($"  token refresh for {_principal} failed, keeping the current one: {exception.Message.ReplaceLineEndings(" ")}");
                    wait = s_retry;
                }
            }
        }
    }

    /// <summary>Client-credentials token requests (contoso's agent, one every 100 ms) and how identity answered.</summary>
    private sealed class TokenProbe : IDisposable
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
        private readonly ConcurrentQueue<(string Label, double Ms)> _outcomes = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public TokenProbe() => _loop = Task.Run(LoopAsync);

        public IEnumerable<string> Outcomes => _outcomes.Select(o => o.Label);

        public double MaxMs => _outcomes.Select(o => o.Ms).DefaultIfEmpty(0).Max();

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }

        public void Dispose()
        {
            _http.Dispose();
            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            var secret = DevSecrets.Get(DemoDirectory.Parameters.ContosoAgentSecret);
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DemoDirectory.ContosoAgentClientId}:{secret}"));
            while (!_stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(PlatformServices.Identity.LocalUrl, "connect/token"))
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = "client_credentials",
                        ["resource"] = PlatformServices.ToolsKnowledge.LocalMcpResource,
                        ["scope"] = PlatformScopes.McpTools,
                    }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
                var started = Stopwatch.GetTimestamp();
                string label;
                try
                {
                    using var response = await _http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    label = response.IsSuccessStatusCode ? "token"
                        : (int)response.StatusCode >= 500 ? $"HTTP {(int)response.StatusCode}"
                        : text.Contains("\"error\"", StringComparison.Ordinal) ? $"OAuth error ({(int)response.StatusCode} {OAuthError(text)})"
                        : $"HTTP {(int)response.StatusCode}";
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    label = "transport";
                }

                _outcomes.Enqueue((label, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                await Task.Delay(100);
            }
        }

        private static string OAuthError(string text)
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? "?" : "?";
        }
    }
}
