using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace McpPlatform.Tests.Common;

/// <summary>
/// A real redis-server (the binary on PATH) on a free loopback port with its own temp directory,
/// no persistence. Tests may stop and start it to simulate an outage; the port stays the same so
/// clients reconnect by themselves. A suite that needs its clients configured like its service's
/// derives and overrides <see cref="ConnectAsync"/>.
/// </summary>
public class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string _directory = Directory.CreateTempSubdirectory("test-redis-").FullName;
    private Process? _process;

    /// <summary>The loopback port.</summary>
    public int Port { get; } = FreePort();

    /// <summary>A connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>A multiplexer shared by the tests of one class (see <see cref="ConnectAsync"/>).</summary>
    public ConnectionMultiplexer Multiplexer { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        await StartAsync();
        Multiplexer = await ConnectAsync();
    }

    /// <summary>Starts redis-server and waits (bounded) until it answers PING.</summary>
    /// <returns>A task that completes when it answers.</returns>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", _directory, "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                if (read > 0 && buffer[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException or TimeoutException)
            {
            }

            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer within {StartTimeout}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits (bounded) until the shared multiplexer has reconnected after a restart.</summary>
    /// <returns>A task that completes when a PING through the multiplexer succeeds.</returns>
    public async Task WaitForClientAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await Multiplexer.GetDatabase().PingAsync();
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw;
                }
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A multiplexer allowed admin commands (INFO), for tests that inspect the server.</summary>
    /// <returns>A new multiplexer the caller disposes.</returns>
    public Task<ConnectionMultiplexer> ConnectAdminAsync() =>
        ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true");

    /// <summary>Every key in the server (test data sets are small).</summary>
    /// <returns>The keys.</returns>
    /// <remarks>Async SCAN: a synchronous one blocks a pool thread on a 2-core machine while tests run in parallel, and timed out.</remarks>
    public async Task<string[]> KeysAsync()
    {
        var keys = new List<string>();
        await foreach (var key in Multiplexer.GetServer(Multiplexer.GetEndPoints()[0]).KeysAsync(pattern: "*"))
        {
            keys.Add(key.ToString());
        }

        return [.. keys];
    }

    /// <summary>Stops redis-server (an outage as clients see it).</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Multiplexer is not null)
        {
            await Multiplexer.DisposeAsync();
        }

        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Connects the shared <see cref="Multiplexer"/> once the server answers.</summary>
    /// <returns>A plain client that allows admin commands and keeps retrying while the server is down.</returns>
    protected virtual Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true,abortConnect=false");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
