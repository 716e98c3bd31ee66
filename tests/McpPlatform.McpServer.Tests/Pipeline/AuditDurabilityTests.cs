using System.Text.Json.Nodes;
using McpPlatform.Core;
using McpPlatform.Tests.Common;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpPlatform.McpServer.Tests.Pipeline;

/// <summary>
/// <c>Audit:Durability=Acknowledged</c> (the default): a caller gets its result only once the call's
/// record is in the spool on disk, so a crash right after the answer cannot lose it.
/// </summary>
public sealed class AuditAcknowledgedTests(PipelineServer server) : IClassFixture<PipelineServer>
{
    [Fact]
    public async Task Result_ArrivesOnlyAfterItsRecordIsOnDisk()
    {
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), AuditCalls.Token);
        for (var i = 0; i < 20; i++)
        {
            var invocation = AuditCalls.NewInvocationId();

            var result = await AuditCalls.CallAsync(client, PipelineTestTools.WhoAmI, invocation);

            result.IsError.ShouldNotBe(true);
            // Read at once, no waiting: with Batched the writer would still be lingering (50 ms).
            server.AuditRecords().Count(record => record.InvocationId == invocation).ShouldBe(1, $"call {i}");
        }
    }
}

/// <summary>The spool's disk full, <c>Audit:WhenSpoolFull=FailClosed</c> (the default): no call runs without its record.</summary>
public sealed class AuditFailClosedTests(FullDiskServer.FailClosed server) : IClassFixture<FullDiskServer.FailClosed>
{
    [Fact]
    public async Task DiskFull_CallsRefusedWithAuditUnavailableAndCounted_DiskFreed_ServedAndAuditedAgain()
    {
        var disk = server.DiskOrSkip();
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), AuditCalls.Token);
        (await AuditCalls.CallAsync(client, PipelineTestTools.WhoAmI, AuditCalls.NewInvocationId())).IsError.ShouldNotBe(true);

        disk.Fill();
        var droppedBefore = server.Audit.Dropped;
        // The first call may find out only when its record fails to write (the tool ran; its result
        // is withheld); after that, calls are refused before they run.
        var first = await AuditCalls.CallAsync(client, PipelineTestTools.WhoAmI, AuditCalls.NewInvocationId());
        AuditCalls.ErrorCode(first).ShouldBe(ToolErrorCodes.AuditUnavailable);
        await Task.Delay(300, AuditCalls.Token); // the free-space reading is at most 250 ms old
        var ranBefore = server.Runs.Of(PipelineTestTools.WhoAmI);
        for (var i = 0; i < 5; i++)
        {
            var refused = await AuditCalls.CallAsync(client, PipelineTestTools.WhoAmI, AuditCalls.NewInvocationId());
            refused.IsError.ShouldBe(true);
            AuditCalls.ErrorCode(refused).ShouldBe(ToolErrorCodes.AuditUnavailable);
            AuditCalls.RetryAfter(refused).ShouldBe(5);
        }

        server.Runs.Of(PipelineTestTools.WhoAmI).ShouldBe(ranBefore, "no tool runs while its record cannot be kept");
        // Never silent: every record that could not be kept is counted.
        server.Audit.Dropped.ShouldBeGreaterThanOrEqualTo(droppedBefore + 6);

        disk.Free();
        var invocation = string.Empty;
        await PipelineServer.WaitUntilAsync(
            async () => (await AuditCalls.CallAsync(client, PipelineTestTools.WhoAmI, invocation = AuditCalls.NewInvocationId())).IsError != true,
            "calls served again after the disk was freed");
        server.AuditRecords().Single(record => record.InvocationId == invocation).Outcome.ShouldBe(AuditOutcomes.Success);
    }
}

/// <summary>The spool's disk full, <c>Audit:WhenSpoolFull=KeepServing</c>: calls are served, the lost records counted.</summary>
public sealed class AuditKeepServingTests(FullDiskServer.KeepServing server) : IClassFixture<FullDiskServer.KeepServing>
{
    [Fact]
    public async Task DiskFull_CallsServed_EveryLostRecordCounted()
    {
        var disk = server.DiskOrSkip();
        await using var client = await server.ConnectAsync(server.Token(PipelineServer.FreeTenant), AuditCalls.Token);
        disk.Fill();
        var droppedBefore = server.Audit.Dropped;

        for (var i = 0; i < 5; i++)
        {
            (await AuditCalls.CallAsync(client, PipelineTestTools.WhoAmI, AuditCalls.NewInvocationId())).IsError.ShouldNotBe(true);
        }

        server.Audit.Dropped.ShouldBe(droppedBefore + 5);
        disk.Free();
    }
}

/// <summary>A pipeline server whose audit spool is on a 4 MiB tmpfs the test can fill.</summary>
public abstract class FullDiskServer : PipelineServer
{
    private readonly string _mountPoint;
    private SmallDisk? _disk;
    private string? _whyNot;

    private FullDiskServer(string mountPoint, string behavior)
        : base(Path.Combine(mountPoint, "spool"), new Dictionary<string, string?> { ["Audit:WhenSpoolFull"] = behavior }) =>
        _mountPoint = mountPoint;

    /// <summary>The disk, or the test is skipped with the reason it could not be mounted.</summary>
    public SmallDisk DiskOrSkip()
    {
        if (_disk is null)
        {
            Assert.Skip(_whyNot ?? "The disk was not mounted.");
        }

        return _disk;
    }

    public override async ValueTask InitializeAsync()
    {
        _disk = SmallDisk.TryMount(4 * 1024 * 1024, _mountPoint, out var whyNot);
        _whyNot = whyNot;
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await base.DisposeAsync();
        _disk?.Dispose();
    }

    /// <summary>Fails closed (the default).</summary>
    public sealed class FailClosed() : FullDiskServer(NewMountPoint(), "FailClosed");

    /// <summary>Keeps serving.</summary>
    public sealed class KeepServing() : FullDiskServer(NewMountPoint(), "KeepServing");

    private static string NewMountPoint() => Path.Combine(Path.GetTempPath(), $"pipeline-test-disk-{Guid.NewGuid():N}");
}

internal static class AuditCalls
{
    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public static string NewInvocationId() => $"test-{Guid.NewGuid():N}";

    public static ValueTask<CallToolResult> CallAsync(McpClient client, string tool, string invocationId) =>
        client.CallToolAsync(new CallToolRequestParams
        {
            Name = tool,
            Meta = new JsonObject { [McpConventions.InvocationIdMetaKey] = invocationId },
        }, Token);

    public static string? ErrorCode(CallToolResult result) =>
        result.StructuredContent?.GetProperty("error").GetProperty("code").GetString();

    public static int? RetryAfter(CallToolResult result) =>
        result.StructuredContent?.GetProperty("error").TryGetProperty("retryAfterSeconds", out var seconds) == true ? seconds.GetInt32() : null;
}
