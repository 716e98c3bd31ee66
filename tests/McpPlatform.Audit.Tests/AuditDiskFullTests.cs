using McpPlatform.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.Audit.Tests;

/// <summary>The spool on a real disk that fills up (a 2 MiB tmpfs): refused cleanly, room seen, usable again once freed.</summary>
public sealed class AuditDiskFullTests : IDisposable
{
    private readonly SmallDisk? _disk;
    private readonly string _whyNot;

    public AuditDiskFullTests() =>
        _disk = SmallDisk.TryMount(2 * 1024 * 1024, Path.Combine(Path.GetTempPath(), $"audit-disk-test-{Guid.NewGuid():N}"), out _whyNot);

    [Fact]
    public async Task TryAppend_DiskFull_ThrowsLeavesNoPartialSegmentAndReportsNoRoom_Freed_WritesAgain()
    {
        if (_disk is null)
        {
            Assert.Skip(_whyNot);
        }

        using var spool = new AuditSpool(Path.Combine(_disk.Path, "spool"), maxBytes: 256L * 1024 * 1024, NullLogger.Instance);
        spool.TryAppend(SampleRecords.Create(3)).ShouldBeTrue();
        var bytes = spool.Bytes;

        _disk.Fill();

        Should.Throw<IOException>(() => spool.TryAppend(SampleRecords.Create(200)));
        Directory.EnumerateFiles(Path.Combine(_disk.Path, "spool"), "*.tmp").ShouldBeEmpty("a failed write must not hold the little space left");
        spool.Bytes.ShouldBe(bytes);
        spool.Segments().Count.ShouldBe(1);
        await Task.Delay(300, TestContext.Current.CancellationToken); // free space is read at most every 250 ms
        spool.HasRoomFor(64 * 1024).ShouldBeFalse();

        _disk.Free();
        await Task.Delay(300, TestContext.Current.CancellationToken);
        spool.HasRoomFor(64 * 1024).ShouldBeTrue();
        spool.TryAppend(SampleRecords.Create(3)).ShouldBeTrue();
        spool.Segments().Count.ShouldBe(2);
    }

    public void Dispose() => _disk?.Dispose();
}
