using System.Collections.Concurrent;

namespace McpPlatform.Downstream.Apis;

/// <summary>Recent calls per tenant, bounded: a sample's memory, not an audit store.</summary>
public sealed class CallLog
{
    private const int PerTenant = 100;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<EchoRecord>> _byTenant = new(StringComparer.Ordinal);

    public void Add(EchoRecord record)
    {
        var queue = _byTenant.GetOrAdd(record.TenantId, _ => new ConcurrentQueue<EchoRecord>());
        queue.Enqueue(record);
        while (queue.Count > PerTenant && queue.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<EchoRecord> For(string tenantId) =>
        _byTenant.TryGetValue(tenantId, out var queue) ? [.. queue.Reverse()] : [];
}
