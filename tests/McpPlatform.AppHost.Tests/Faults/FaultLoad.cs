using System.Collections.Concurrent;
using System.Text.Json;
using McpPlatform.AppHost.Tests.Mcp;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Faults;

/// <summary>
/// Callers that keep calling one tool while a fault is injected, each call with its own
/// invocation id; afterwards it says what they saw. "Answered" is every call that got a JSON-RPC
/// result (a success, a tool error or a denial): its audit record was kept before the answer.
/// </summary>
internal sealed class FaultLoad : IAsyncDisposable
{
    private readonly ConcurrentBag<string> _answered = [];
    private readonly ConcurrentDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _callers;
    private int _next;

    private FaultLoad(PlatformService server, string token, string prefix, int callers, string tool, string argumentsJson)
    {
        Prefix = prefix;
        _callers = [.. Enumerable.Range(0, callers).Select(_ => Task.Run(() => CallLoopAsync(server, token, tool, argumentsJson)))];
    }

    /// <summary>The invocation ids' common prefix (for counting records with LIKE).</summary>
    public string Prefix { get; }

    /// <summary>Ids of the calls that got a JSON-RPC result.</summary>
    public IReadOnlyCollection<string> Answered => _answered;

    /// <summary>Calls by outcome: <c>ok</c>, a tool error's code, <c>http-NNN</c>, <c>transport</c>.</summary>
    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    public int Count(string outcome) => _outcomes.GetValueOrDefault(outcome);

    public string Describe() => string.Join(", ", _outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"));

    public static FaultLoad Start(PlatformService server, string token, int callers = 8, string tool = "whoami", string argumentsJson = "{}") =>
        new(server, token, $"fault-{Guid.NewGuid():N}-", callers, tool, argumentsJson);

    /// <summary>Stops the callers and waits for the calls in flight to end (idempotent).</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_callers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task CallLoopAsync(PlatformService server, string token, string tool, string argumentsJson)
    {
        while (!_stop.IsCancellationRequested)
        {
            var id = Prefix + Interlocked.Increment(ref _next);
            string outcome;
            try
            {
                var (status, message) = await McpClientFactory.RawCallAsync(server, token, McpClientFactory.ToolCallJson(tool, argumentsJson, id), _stop.Token);
                if (status == 200 && message is { } json && json.TryGetProperty("result", out var result))
                {
                    _answered.Add(id);
                    outcome = result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True
                        ? result.GetProperty("structuredContent").GetProperty("error").GetProperty("code").GetString()!
                        : "ok";
                }
                else
                {
                    outcome = $"http-{status}";
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
            {
                outcome = "transport";
                // A server that is down refuses at once: do not spin.
                await Task.Delay(20, CancellationToken.None);
            }

            _outcomes.AddOrUpdate(outcome, 1, (_, count) => count + 1);
        }
    }
}
