using McpPlatform.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.Audit.Tests;

/// <summary>
/// Graceful shutdown of the emitter side as registered by AddAuditEmitter: what is still queued
/// ends up in the spool, and the shipper has stopped before that last write.
/// </summary>
public sealed class AuditShutdownTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"audit-shutdown-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task Stop_WithRecordsStillQueued_WritesThemToTheSpool()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var records = SampleRecords.Create(5);
        AuditEmitter emitter;
        using (var host = Build())
        {
            await host.StartAsync(cancellation);
            emitter = host.Services.GetRequiredService<AuditEmitter>();
            foreach (var record in records)
            {
                emitter.Emit(record).ShouldBeTrue();
            }

            // The writer is still lingering (10 minutes) for more records, so only shutdown writes these.
            await host.StopAsync(cancellation);
        }

        emitter.Dropped.ShouldBe(0);
        using var spool = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);
        spool.Segments().SelectMany(spool.Read).Select(r => r.Parse().Id).ShouldBe(records.Select(r => r.Id));
    }

    [Fact]
    public void Shipper_IsRegisteredAfterTheWriter_SoItStopsBeforeTheWritersFinalFlush()
    {
        using var host = Build();
        var hosted = host.Services.GetServices<IHostedService>().Select(service => service.GetType()).ToList();

        var writer = hosted.IndexOf(typeof(AuditSpoolWriter));
        writer.ShouldBeGreaterThanOrEqualTo(0);
        hosted.IndexOf(typeof(AuditShipper)).ShouldBeGreaterThan(writer, "hosted services stop in reverse registration order");
    }

    public void Dispose()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Path.GetFileName(_folder) + "*"))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Identity:ClientSecret"] = "test-secret",
            ["Audit:SpoolPath"] = _folder,
            ["Audit:SpoolLinger"] = "00:10:00",
            // Nothing listens here: a segment the shipper tried to send would stay in the spool.
            ["Audit:BaseAddress"] = "http://127.0.0.1:1/",
        });
        builder.AddAuditEmitter(PlatformServices.ToolsKnowledge);
        return builder.Build();
    }
}
