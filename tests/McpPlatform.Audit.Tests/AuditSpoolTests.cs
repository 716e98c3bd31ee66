using McpPlatform.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpPlatform.Audit.Tests;

/// <summary>The emitter's spool on a real folder: bounded, whole segments only, recovered in order, one owner.</summary>
public sealed class AuditSpoolTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"audit-spool-test-{Guid.NewGuid():N}");

    [Fact]
    public void TryAppend_PastTheCap_RefusesTheSegmentAndKeepsWhatIsSpooled()
    {
        using var spool = new AuditSpool(_folder, maxBytes: 4096, NullLogger.Instance);
        var first = SampleRecords.Create(3);
        spool.TryAppend(first).ShouldBeTrue();
        var used = spool.Bytes;
        used.ShouldBeGreaterThan(0);

        spool.TryAppend(SampleRecords.Create(40)).ShouldBeFalse("40 more records do not fit in 4 KiB");
        spool.Bytes.ShouldBe(used);
        var segment = spool.Segments().ShouldHaveSingleItem();
        spool.Read(segment).Select(r => r.Parse().Id).ShouldBe(first.Select(r => r.Id));

        spool.Delete(segment);
        spool.Bytes.ShouldBe(0);
        spool.TryAppend(SampleRecords.Create(3)).ShouldBeTrue("space freed by a delivered segment is usable again");
    }

    [Fact]
    public void NewSpool_OnAFolderWithLeftovers_DropsPartialWritesAndKeepsWholeSegmentsInOrder()
    {
        var a = SampleRecords.Create(2);
        var b = SampleRecords.Create(2);
        using (var spool = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance))
        {
            spool.TryAppend(a).ShouldBeTrue();
            spool.TryAppend(b).ShouldBeTrue();
        }

        // A write that crashed before its rename: never shipped, since it may be truncated.
        File.WriteAllText(Path.Combine(_folder, "0000000000000003.jsonl.tmp"), "{\"id\": \"trunc");

        using var restarted = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);
        Directory.EnumerateFiles(_folder, "*.tmp").ShouldBeEmpty();
        var segments = restarted.Segments();
        segments.Count.ShouldBe(2);
        segments.SelectMany(restarted.Read).Select(r => r.Parse().Id).ShouldBe(a.Concat(b).Select(r => r.Id));

        var c = SampleRecords.Create(1);
        restarted.TryAppend(c).ShouldBeTrue();
        restarted.Read(restarted.Segments()[^1]).Single().Parse().Id.ShouldBe(c[0].Id, "new segments sort after the recovered ones");
    }

    [Fact]
    public void SecondOwner_OfTheSameFolder_GetsItsOwnSibling()
    {
        using var first = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);
        using var second = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);
        second.Folder.ShouldNotBe(first.Folder);
        second.Folder.ShouldStartWith(_folder);

        first.TryAppend(SampleRecords.Create(1)).ShouldBeTrue();
        second.Segments().ShouldBeEmpty("one process never ships (and deletes) another's segments");
    }

    [Fact]
    public void Read_GivesEachRecordsJsonAsWritten_AndMovesUnreadableLinesToTheDeadFolder()
    {
        using var spool = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);
        var records = SampleRecords.Create(3);
        spool.TryAppend(records).ShouldBeTrue();
        var segment = spool.Segments().ShouldHaveSingleItem();
        // A damaged segment (a disk error, a hand edit): a torn object, trailing text, not an object.
        File.AppendAllText(segment, "{\"id\":\"torn\n{\"id\":1} trailing\n[1,2]\n");

        var read = spool.Read(segment);

        read.Select(r => r.Parse().Id).ShouldBe(records.Select(r => r.Id));
        read.Select(r => System.Text.Encoding.UTF8.GetString(r.Json.Span))
            .ShouldBe(records.Select(r => System.Text.Json.JsonSerializer.Serialize(r, AuditJsonContext.Default.AuditRecord)));
        File.ReadAllLines(Path.Combine(spool.Folder, "dead", "unreadable.jsonl")).Length.ShouldBe(3);
    }

    [Fact]
    public void SiblingOfAGoneProcess_IsAdoptedByTheFoldersOwner_AndShippedFromThere()
    {
        var first = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);
        var second = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);
        var left = SampleRecords.Create(4);
        second.TryAppend(left).ShouldBeTrue();
        second.DeadLetter([SpooledRecord.Of(SampleRecords.Create(1)[0])], "test");
        var sibling = second.Folder;
        second.Dispose();
        first.Dispose();
        Directory.SetLastWriteTimeUtc(sibling, DateTime.UtcNow - TimeSpan.FromMinutes(5));

        using var restarted = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);

        Directory.Exists(sibling).ShouldBeFalse("the gone process's folder is taken over and removed");
        restarted.Segments().SelectMany(restarted.Read).Select(r => r.Parse().Id).ShouldBe(left.Select(r => r.Id));
        Directory.EnumerateFiles(Path.Combine(restarted.Folder, "dead")).ShouldHaveSingleItem();
        restarted.Bytes.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void SiblingOfALiveOrStartingProcess_IsLeftAlone()
    {
        using var first = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance);
        string sibling;
        using (var second = new AuditSpool(_folder, maxBytes: 1024 * 1024, NullLogger.Instance))
        {
            sibling = second.Folder;
            second.TryAppend(SampleRecords.Create(2)).ShouldBeTrue();
            Directory.SetLastWriteTimeUtc(second.Folder, DateTime.UtcNow - TimeSpan.FromMinutes(5));

            first.AdoptOrphans().ShouldBe(0, "its lock is held: the process is alive");
            second.Segments().ShouldHaveSingleItem();
        }

        // Released, but written to moments ago (a process between creating and locking its folder looks the same).
        Directory.SetLastWriteTimeUtc(sibling, DateTime.UtcNow);
        first.AdoptOrphans().ShouldBe(0);
        Directory.EnumerateDirectories(Path.GetTempPath(), Path.GetFileName(_folder) + "-*").ShouldHaveSingleItem();
    }

    [Fact]
    public void DeadLetters_CountAgainstTheCap()
    {
        using var spool = new AuditSpool(_folder, maxBytes: 4096, NullLogger.Instance);
        spool.DeadLetter([.. SampleRecords.Create(8).Select(SpooledRecord.Of)], "test");
        spool.Bytes.ShouldBeGreaterThan(0);
        spool.TryAppend(SampleRecords.Create(8)).ShouldBeFalse("refused records kept for inspection use the same budget");
    }

    public void Dispose()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Path.GetFileName(_folder) + "*"))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
