using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.Audit;

/// <summary>
/// The shipper: moves audit records from the spool to <c>collector-tenant</c>, oldest segment
/// first, and deletes a segment after acknowledgement. At least once: a segment is resent (with
/// back-off) until the collector answers for every record in it; the collector ignores ids it
/// has. Refused records go to the spool's dead folder; while idle it adopts what gone sibling
/// processes left (<see cref="AuditSpool.AdoptOrphans"/>).
/// </summary>
internal sealed partial class AuditShipper(
    AuditSpool spool,
    AuditSpoolSignal spooled,
    IHttpClientFactory httpClients,
    AuditServiceToken token,
    IOptions<AuditOptions> options,
    ILogger<AuditShipper> logger) : BackgroundService
{
    public const string HttpClientName = "audit-collector";
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan OrphanCheck = TimeSpan.FromSeconds(30);
    private long _lastAdoption = Environment.TickCount64;
    private bool _collectorDown;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                delay = await ShipOnceAsync(delay, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Whatever goes wrong here must not stop the MCP server (a faulted background
                // service stops the host): log, wait, and try again; the spool keeps the records.
                LogShipFailed(logger, exception);
                try
                {
                    await Task.Delay(options.Value.MaxRetryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<TimeSpan> ShipOnceAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        var segments = spool.Segments();
        if (segments.Count == 0)
        {
            // Idle: now and then, take over what a gone sibling process left (AuditSpool.AdoptOrphans).
            if (Environment.TickCount64 - _lastAdoption >= (long)OrphanCheck.TotalMilliseconds)
            {
                _lastAdoption = Environment.TickCount64;
                if (spool.AdoptOrphans() > 0)
                {
                    return delay;
                }
            }

            await WaitForSpooledAsync(IdlePoll, stoppingToken);
            return delay;
        }

        // Consecutive small segments travel together, up to one batch per request: under load a
        // segment holds a linger's worth of calls, and a request per segment would cost the
        // collector and PostgreSQL a transaction each.
        var size = Math.Clamp(options.Value.BatchSize, 1, AuditLimits.MaxRecordsPerBatch);
        for (var next = 0; next < segments.Count;)
        {
            var group = new List<string>();
            var records = new List<SpooledRecord>();
            while (next < segments.Count && (group.Count == 0 || records.Count < size))
            {
                List<SpooledRecord> read;
                try
                {
                    read = spool.Read(segments[next]);
                }
                catch (IOException exception)
                {
                    LogSpoolReadFailed(logger, exception, segments[next]);
                    if (group.Count == 0)
                    {
                        return await BackOffAsync(delay, stoppingToken);
                    }

                    break;
                }

                if (group.Count > 0 && records.Count + read.Count > size)
                {
                    break;
                }

                group.Add(segments[next++]);
                records.AddRange(read);
            }

            if (!await TryShipRecordsAsync(records, size, stoppingToken))
            {
                // The collector is down or refused for a reason that may pass: back off and retry
                // the same segments; ids make the resend harmless.
                return await BackOffAsync(delay, stoppingToken);
            }

            group.ForEach(spool.Delete);
            delay = TimeSpan.FromMilliseconds(100);
            if (_collectorDown)
            {
                _collectorDown = false;
                LogCollectorBack(logger, spool.Segments().Count);
            }
        }

        return delay;
    }

    // Waits out the current delay (new records do not cut it short) and returns the next one:
    // doubled, up to Audit:MaxRetryDelay.
    private async Task<TimeSpan> BackOffAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        await Task.Delay(delay, stoppingToken);
        return TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxRetryDelay.Ticks));
    }

    private async Task WaitForSpooledAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        try
        {
            await spooled.WaitAsync(timeout, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryShipRecordsAsync(List<SpooledRecord> records, int size, CancellationToken stoppingToken)
    {
        for (var start = 0; start < records.Count; start += size)
        {
            var chunk = records.GetRange(start, Math.Min(size, records.Count - start));
            if (!await TrySendAsync(chunk, stoppingToken))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<bool> TrySendAsync(List<SpooledRecord> chunk, CancellationToken stoppingToken)
    {
        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.BaseAddress, "v1/records"))
            {
                Content = BatchContent(chunk),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(stoppingToken));
            using var response = await http.SendAsync(request, stoppingToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return true;
                case HttpStatusCode.Unauthorized:
                    token.Invalidate();
                    return Down($"HTTP 401");
                case HttpStatusCode.UnprocessableEntity:
                    return await SplitRejectedAsync(chunk, response, stoppingToken);
                case HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge:
                    // The collector says this batch can never be accepted as it is; keep it for
                    // inspection rather than retrying forever and blocking every later record.
                    spool.DeadLetter(chunk, $"HTTP {(int)response.StatusCode}: {await DetailAsync(response, stoppingToken)}");
                    return true;
                default:
                    return Down($"HTTP {(int)response.StatusCode}");
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or AuditTokenException
            || (exception is OperationCanceledException && !stoppingToken.IsCancellationRequested))
        {
            return Down(exception.GetType().Name + ": " + exception.Message);
        }
    }

    // A 422 names the records refused (unknown tenant, invalid field); the others are sent again.
    private async Task<bool> SplitRejectedAsync(List<SpooledRecord> chunk, HttpResponseMessage response, CancellationToken stoppingToken)
    {
        var rejected = new HashSet<int>();
        var detail = await DetailAsync(response, stoppingToken);
        try
        {
            using var problem = JsonDocument.Parse(detail);
            if (problem.RootElement.TryGetProperty("rejected", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.TryGetProperty("index", out var index) && index.TryGetInt32(out var i) && i >= 0 && i < chunk.Count)
                    {
                        rejected.Add(i);
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        if (rejected.Count == 0)
        {
            spool.DeadLetter(chunk, "HTTP 422: " + detail);
            return true;
        }

        spool.DeadLetter([.. rejected.Order().Select(i => chunk[i])], "HTTP 422: " + detail);
        var rest = chunk.Where((_, i) => !rejected.Contains(i)).ToList();
        return rest.Count == 0 || await TrySendAsync(rest, stoppingToken);
    }

    // The batch body ({"records":[...]}, the shape of AuditBatch) from the spooled JSON as it is.
    private static ReadOnlyMemoryContent BatchContent(List<SpooledRecord> chunk)
    {
        var body = new ArrayBufferWriter<byte>(64 + chunk.Sum(record => record.Json.Length + 1));
        body.Write("{\"records\":["u8);
        for (var i = 0; i < chunk.Count; i++)
        {
            if (i > 0)
            {
                body.Write(","u8);
            }

            body.Write(chunk[i].Json.Span);
        }

        body.Write("]}"u8);
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private bool Down(string reason)
    {
        if (!_collectorDown)
        {
            _collectorDown = true;
            LogCollectorDown(logger, reason, spool.Folder);
        }

        return false;
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length > 2000 ? text[..2000] : text;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "collector-tenant is not accepting audit records ({Reason}); they stay in {Spool} and are retried.")]
    private static partial void LogCollectorDown(ILogger logger, string reason, string spool);

    [LoggerMessage(Level = LogLevel.Information, Message = "collector-tenant accepts audit records again; {Segments} spooled segments left to ship.")]
    private static partial void LogCollectorBack(ILogger logger, int segments);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shipping audit records failed unexpectedly; retrying.")]
    private static partial void LogShipFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not read audit spool segment {Segment}; retrying.")]
    private static partial void LogSpoolReadFailed(ILogger logger, Exception exception, string segment);
}
