using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.Policy;

/// <summary>
/// Polls the policy file every <see cref="PolicyOptions.PollInterval"/>. Polling rather than a
/// FileSystemWatcher: it behaves the same on bind mounts, network shares and editors that save
/// by rename, and reading a page of YAML every few seconds costs nothing.
/// </summary>
public sealed class PolicyFileWatcher(PolicySource source, IOptions<PolicyOptions> options, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            source.Refresh();
        }
    }
}
