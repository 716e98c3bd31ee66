using Microsoft.Extensions.Options;

namespace McpPlatform.Partner.Apis;

/// <summary>
/// A bounded ring of what recent requests carried: a sample's memory for tests to read, not an
/// audit store. Holds key digests only.
/// </summary>
public sealed class RequestLog(IOptions<PartnerOptions> options)
{
    private const int MaxPathLength = 256;
    private readonly int _capacity = Math.Max(1, options.Value.RequestLogCapacity);
    private readonly Queue<RequestRecord> _records = new();
    private readonly Lock _lock = new();
    private long _seq;

    /// <summary>Adds one request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path.</param>
    /// <param name="tenant">The tenant the key matched, or null.</param>
    /// <param name="keySha256">The presented key's digest, or null.</param>
    public void Add(string method, string path, string? tenant, string? keySha256)
    {
        var shown = path.Length > MaxPathLength ? path[..MaxPathLength] : path;
        lock (_lock)
        {
            _records.Enqueue(new RequestRecord(++_seq, method, shown, tenant, keySha256));
            while (_records.Count > _capacity)
            {
                _records.Dequeue();
            }
        }
    }

    /// <summary>The remembered requests after <paramref name="after"/>, oldest first.</summary>
    /// <param name="after">The last sequence number already seen (0 for all).</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<RequestRecord> After(long after)
    {
        lock (_lock)
        {
            return [.. _records.Where(record => record.Seq > after)];
        }
    }
}
