using System.Diagnostics;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>
/// Asks Docker, then Podman, for the server version. A client binary alone (as on machines
/// with the docker CLI but no daemon) does not count: the engine itself must answer.
/// </summary>
public sealed class ContainerEngineProbe : IContainerEngineProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public ContainerEngineStatus Probe()
    {
        // Aspire's own setting for the runtime; honour it so both agree on which engine.
        var preferred = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME")
            ?? Environment.GetEnvironmentVariable("DOTNET_ASPIRE_CONTAINER_RUNTIME");
        string[] engines = string.IsNullOrWhiteSpace(preferred) ? ["docker", "podman"] : [preferred];

        var failures = new List<string>();
        foreach (var engine in engines)
        {
            var (answered, detail) = Ask(engine);
            if (answered)
            {
                return new(true, $"{engine} {detail}");
            }

            failures.Add($"{engine}: {detail}");
        }

        return new(false, string.Join("; ", failures));
    }

    private static (bool Answered, string Detail) Ask(string engine)
    {
        var start = new ProcessStartInfo(engine)
        {
            ArgumentList = { "version", "--format", "{{.Server.Version}}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return (false, "could not start");
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, $"no answer within {s_timeout.TotalSeconds:0} s");
            }

            var version = output.Result.Trim();
            return process.ExitCode == 0 && version.Length > 0
                ? (true, $"server {version}")
                : (false, "client present, engine not reachable");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (false, "not installed");
        }
    }
}
