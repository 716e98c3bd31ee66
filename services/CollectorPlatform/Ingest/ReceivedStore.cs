using System.Collections.Concurrent;
using Google.Protobuf;
using McpPlatform.CollectorPlatform.Extensions;
using Microsoft.Extensions.Options;

namespace McpPlatform.CollectorPlatform.Ingest;

/// <summary>
/// The last <see cref="CollectorPlatformOptions.ReceivedBufferSize"/> batches as received, kept only
/// when configured (the AppHost does in Development): it is how the canary test sees exactly what
/// the services' at-source rules let out, and how an engineer checks a new instrumentation.
/// </summary>
public sealed class ReceivedStore(IOptions<CollectorPlatformOptions> options, TimeProvider time)
{
    private readonly ConcurrentQueue<ReceivedBatch> _batches = new();
    private readonly int _size = options.Value.ReceivedBufferSize;

    /// <summary>Whether batches are kept at all.</summary>
    public bool Enabled => _size > 0;

    /// <summary>Keeps a copy of a batch (call before the checks change it).</summary>
    public void Add(string signal, string service, IMessage message)
    {
        if (!Enabled)
        {
            return;
        }

        _batches.Enqueue(new(time.GetUtcNow(), signal, service, JsonFormatter.Default.Format(message)));
        while (_batches.Count > _size && _batches.TryDequeue(out _))
        {
        }
    }

    /// <summary>Kept batches, oldest first.</summary>
    public IReadOnlyList<ReceivedBatch> All() => [.. _batches];
}
