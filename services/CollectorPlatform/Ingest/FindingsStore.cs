using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using McpPlatform.CollectorPlatform.Extensions;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>Findings so far: counts for every service/signal/kind, and the most recent ones.</summary>
public sealed class FindingsStore
{
    private readonly ConcurrentDictionary<(string Service, string Signal, string Kind), long> _counts = new();
    private readonly ConcurrentQueue<Finding> _recent = new();
    private readonly int _keep;
    private readonly Counter<long> _counter;

    /// <summary>Creates the store and its <c>mcpplatform.collector.findings</c> counter.</summary>
    public FindingsStore(IOptions<CollectorPlatformOptions> options, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _keep = Math.Max(1, options.Value.RecentFindings);
        _counter = meters.Create(CollectorMeters.Name).CreateCounter<long>(
            "mcpplatform.collector.findings", description: "Telemetry records that broke the tenant-free rule, by emitting service.");
    }

    /// <summary>Records findings of one batch.</summary>
    public void Add(IReadOnlyCollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        foreach (var finding in findings)
        {
            _counts.AddOrUpdate((finding.Service, finding.Signal, finding.Kind), 1, (_, count) => count + 1);
            _counter.Add(1, new("service", finding.Service), new("signal", finding.Signal), new("kind", finding.Kind));
            _recent.Enqueue(finding);
            while (_recent.Count > _keep && _recent.TryDequeue(out _))
            {
            }
        }
    }

    /// <summary>Counts, highest first.</summary>
    public IReadOnlyList<FindingCount> Counts() =>
        [.. _counts.Select(c => new FindingCount(c.Key.Service, c.Key.Signal, c.Key.Kind, c.Value)).OrderByDescending(c => c.Count)];

    /// <summary>The most recent findings, newest first.</summary>
    public IReadOnlyList<Finding> Recent() => [.. _recent.Reverse()];
}
