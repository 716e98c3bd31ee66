using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.Benchmarks;

/// <summary>The dev-default secrets, read from the AppHost's development settings (never repeated in code).</summary>
public static class DevSecrets
{
    public static string Get(string parameter)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "AppHost", "appsettings.Development.json")));
        return document.RootElement.GetProperty("Parameters").GetProperty(parameter).GetString()!;
    }
}

public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "McpPlatform.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}

/// <summary>Talks to the running platform (started with eng/run.sh): tokens and quota overrides.</summary>
public static class Platform
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task EnsureRunningAsync()
    {
        foreach (var service in (PlatformService[])[PlatformServices.Identity, PlatformServices.Quota, PlatformServices.ToolsKnowledge])
        {
            try
            {
                using var response = await s_http.GetAsync(new Uri(service.LocalUrl, HealthEndpoints.Health));
                response.EnsureSuccessStatusCode();
            }
            catch (HttpRequestException exception)
            {
                throw new InvalidOperationException($"{service.ResourceName} is not healthy at {service.LocalUrl}: start the platform with eng/run.sh first.", exception);
            }
        }
    }

    /// <summary>A token from eng/token.sh (the README's way to get one).</summary>
    public static string Token(string principal, string? resource = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add("eng/token.sh");
        start.ArgumentList.Add(principal);
        if (resource is not null)
        {
            start.ArgumentList.Add(resource);
        }

        using var process = Process.Start(start)!;
        var token = process.StandardOutput.ReadToEnd().Trim();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && token.Length > 0 ? token : throw new InvalidOperationException($"eng/token.sh {principal} failed: {error}");
    }

    /// <summary>Sets a tenant's quota override through the operator's admin API, then waits for every quota instance to see it.</summary>
    public static async Task SetLimitsAsync(string operatorToken, string tenantId, object limits)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(PlatformServices.Quota.LocalUrl, $"/v1/admin/tenants/{tenantId}/limits"))
        {
            Content = new StringContent(JsonSerializer.Serialize(limits), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        using var response = await s_http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Setting limits failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    public static async Task RemoveLimitsAsync(string operatorToken, string tenantId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(PlatformServices.Quota.LocalUrl, $"/v1/admin/tenants/{tenantId}/limits"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        using var response = await s_http.SendAsync(request);
    }

    /// <summary>Given caps and rates; budgets high enough not to bind.</summary>
    public static object Limits(int tenantConcurrency, int principalConcurrency, double tenantRate, int tenantBurst, double principalRate, int principalBurst) => new
    {
        TenantConcurrency = tenantConcurrency,
        PrincipalConcurrency = principalConcurrency,
        TenantRatePerSecond = tenantRate,
        TenantRateBurst = tenantBurst,
        PrincipalRatePerSecond = principalRate,
        PrincipalRateBurst = principalBurst,
        TokensPerHour = 1_000_000_000_000L,
        TokensPerDay = 1_000_000_000_000L,
        CostPerHour = 1_000_000_000m,
        CostPerDay = 1_000_000_000m,
    };

    /// <summary>Limits high enough that nothing but the thing under test binds.</summary>
    public static object Unbounded(int? tenantConcurrency = null, int? principalConcurrency = null) =>
        Limits(tenantConcurrency ?? 100_000, principalConcurrency ?? 100_000, 1_000_000.0, 1_000_000, 1_000_000.0, 1_000_000);
}

/// <summary>A closed-loop (or paced) load of MCP tools/call requests over keep-alive HTTP.</summary>
/// <param name="endpoint">The MCP endpoint.</param>
/// <param name="bearer">The caller's token, or null.</param>
/// <param name="body">The JSON-RPC request to send (default <c>tools/call whoami</c>; see <see cref="Body"/>).</param>
public sealed class McpLoad(Uri endpoint, string? bearer, byte[]? body = null) : IDisposable
{
    private static readonly byte[] s_whoami = Body("whoami", new { });

    private readonly byte[] _body = body ?? s_whoami;

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public sealed record Result(Samples Samples, int Denied, int Failed);

    public void Dispose() => _http.Dispose();

    /// <summary>A <c>tools/call</c> request of one tool with the given arguments.</summary>
    public static byte[] Body(string tool, object arguments) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        jsonrpc = "2.0",
        id = 1,
        method = "tools/call",
        @params = new { name = tool, arguments },
    });

    /// <param name="workers">Concurrent callers.</param>
    /// <param name="seconds">How long.</param>
    /// <param name="perWorkerInterval">Null for closed loop; else each worker starts one call per interval.</param>
    public async Task<Result> RunAsync(int workers, double seconds, TimeSpan? perWorkerInterval = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var denied = 0;
        var failed = 0;
        var perWorker = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var ticks = new long[1 << 16];
            var count = 0;
            var next = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (perWorkerInterval is { } interval)
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }

                    next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                }

                var started = Stopwatch.GetTimestamp();
                var outcome = await CallAsync();
                var elapsed = Stopwatch.GetTimestamp() - started;
                if (outcome == Outcome.Failed)
                {
                    Interlocked.Increment(ref failed);
                    continue;
                }

                if (outcome == Outcome.Denied)
                {
                    Interlocked.Increment(ref denied);
                }

                if (count == ticks.Length)
                {
                    Array.Resize(ref ticks, ticks.Length * 2);
                }

                ticks[count++] = elapsed;
            }

            return (ticks, count);
        }))).ConfigureAwait(false);
        return new Result(Samples.Sorted(perWorker, seconds), denied, failed);
    }

    private enum Outcome { Ok, Denied, Failed }

    private async Task<Outcome> CallAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(_body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        try
        {
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return !response.IsSuccessStatusCode || !text.Contains("\"result\"", StringComparison.Ordinal) ? Outcome.Failed
                : text.Contains("\"isError\":true", StringComparison.Ordinal) ? Outcome.Denied
                : Outcome.Ok;
        }
        catch (HttpRequestException)
        {
            return Outcome.Failed;
        }
    }
}

/// <summary>A server child process pinned to one core (taskset when present).</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri endpoint, string? pinnedTo)
    {
        _process = process;
        Endpoint = endpoint;
        PinnedTo = pinnedTo;
    }

    public Uri Endpoint { get; }

    public string? PinnedTo { get; }

    /// <summary>User + system CPU time the server has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(string variant, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = LocalRedis.FreePort();
        var start = SelfProcess.StartInfo(cpu: 0, lowestPriority: false, "serve", variant, port.ToString(CultureInfo.InvariantCulture));
        var pin = start.FileName == "taskset";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}{McpConventions.Path}"), pin ? "0" : null);
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/alive"));
                return server;
            }
            catch (HttpRequestException) when (!process.HasExited)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"The {variant} server did not start: {await process.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>This benchmark's own executable as a child process (a server or a load driver), pinned to a CPU where taskset exists.</summary>
public static class SelfProcess
{
    /// <param name="cpu">The CPU to pin to (with taskset, on machines with two or more).</param>
    /// <param name="lowestPriority">Run at nice 19 (where nice exists).</param>
    /// <param name="arguments">The child's arguments.</param>
    public static ProcessStartInfo StartInfo(int cpu, bool lowestPriority, params string[] arguments)
    {
        var command = new List<string>();
        if (lowestPriority && Machine.FindOnPath("nice") is not null)
        {
            command.AddRange(["nice", "-n", "19"]);
        }

        if (Machine.FindOnPath("taskset") is not null && Machine.TotalCores >= 2)
        {
            command.AddRange(["taskset", "-c", cpu.ToString(CultureInfo.InvariantCulture)]);
        }

        command.Add(Environment.ProcessPath!);
        command.AddRange(arguments);
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        command.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        start.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        return start;
    }
}
