using McpPlatform.ToolWorker.Protocol;
using McpPlatform.ToolsWorkspace.Sandbox;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.ToolsWorkspace.Tests.Sandbox;

/// <summary>Degraded hosts: what is detected, how it is reported, and that scripts still run (or are refused) as configured.</summary>
[Collection(SandboxWorkersGroup.Name)]
public sealed class SandboxEnvironmentTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThisHost_HasBubblewrapAndCgroups_AndReportsHealthy()
    {
        var environment = TestSandbox.Environment(new SandboxOptions());

        environment.Unavailable.ShouldBeNull();
        environment.Isolation.ShouldBe(SandboxIsolation.Bubblewrap);
        environment.Gaps.ShouldBeEmpty();
        (await Health(environment)).Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task BubblewrapMissing_Auto_RunsPlainProcessesAndSaysSo()
    {
        var options = new SandboxOptions { BubblewrapPath = "/nonexistent/bwrap" };
        var environment = TestSandbox.Environment(options);

        environment.Isolation.ShouldBe(SandboxIsolation.Process);
        environment.IsolationName.ShouldBe("process");
        environment.Gaps.ShouldContain(gap => gap.Contains("bubblewrap", StringComparison.Ordinal));
        var health = await Health(environment);
        health.Status.ShouldBe(HealthStatus.Degraded);
        health.Description!.ShouldContain("degraded");

        // Degraded, not broken: a plain worker process with an empty environment runs the script.
        await using var worker = await WorkerProcess.StartAsync(environment, options, TestSandbox.NewWorkerId(), "contoso", Cancel);
        var run = await worker.RunAsync(new HostMessage("run", Id: "1", Script: "6 * 7", Limits: new RunLimits(0, 256, 1024, 1)),
            new CallLimits(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), 1024 * 1024, TimeSpan.FromMilliseconds(50)),
            (fetch, _) => Task.FromResult(new HostMessage("fetched", Seq: fetch.Seq, Error: new WorkerError("connection.not_found", "none"))), Cancel);
        run.Done!.Value!.Value.GetInt32().ShouldBe(42);
        var names = File.ReadAllText($"/proc/{worker.Pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=')[0]);
        names.ShouldAllBe(name => name.StartsWith("DOTNET_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BubblewrapRequiredButMissing_IsUnavailable()
    {
        var environment = TestSandbox.Environment(new SandboxOptions { Isolation = SandboxIsolation.Bubblewrap, BubblewrapPath = "/nonexistent/bwrap" });

        environment.Unavailable.ShouldNotBeNull().ShouldContain("required");
        (await Health(environment)).Status.ShouldBe(HealthStatus.Degraded);
        await using var pool = new WorkerPool(environment, Microsoft.Extensions.Options.Options.Create(new SandboxOptions()), NullLogger<WorkerPool>.Instance);
        await Should.ThrowAsync<SandboxUnavailableException>(() => pool.AcquireAsync("contoso", TimeSpan.FromSeconds(1), Cancel));
    }

    [Fact]
    public void WorkerProgramMissing_IsUnavailable()
    {
        var environment = new SandboxEnvironment(new SandboxOptions(), Path.Combine(Path.GetTempPath(), "no-worker-here"), NullLogger.Instance);

        environment.Unavailable.ShouldNotBeNull().ShouldContain(SandboxEnvironment.WorkerAssemblyName);
    }

    private static Task<HealthCheckResult> Health(SandboxEnvironment environment) =>
        new SandboxHealthCheck(environment).CheckHealthAsync(new HealthCheckContext(), Cancel);
}
