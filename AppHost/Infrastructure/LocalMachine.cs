using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>
/// What local mode needs from the machine: the PostgreSQL and Redis binaries, a data folder,
/// free ports, and (when the AppHost runs as root) the unprivileged account PostgreSQL insists on.
/// </summary>
internal static class LocalMachine
{
    /// <summary>Debian's package account; PostgreSQL refuses to run as root.</summary>
    public const string PostgresAccount = "postgres";

    private const string InstallHint =
        "Install them with: sudo apt-get install -y postgresql redis-server " +
        "(or run eng/run.sh, which installs them when it can), or use a container engine with Infrastructure:Mode=containers.";

    public static bool IsRoot => Environment.UserName == "root" || GetEffectiveUserId() == 0;

    /// <summary>Finds PostgreSQL's server binaries: PATH first, then Debian's versioned folders, newest first.</summary>
    public static string FindPostgresBinDirectory()
    {
        var onPath = FindOnPath("postgres");
        if (onPath is not null && File.Exists(Path.Combine(Path.GetDirectoryName(ResolveLink(onPath))!, "initdb")))
        {
            return Path.GetDirectoryName(ResolveLink(onPath))!;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.dir, "bin", "postgres")) && File.Exists(Path.Combine(x.dir, "bin", "initdb")))
                .OrderByDescending(x => x.version)
                .Select(x => Path.Combine(x.dir, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        throw new InvalidOperationException(
            "Local infrastructure mode needs PostgreSQL's server binaries (postgres, initdb), found neither on PATH " +
            $"nor under {debianRoot}/<version>/bin. {InstallHint}");
    }

    public static string FindRedisServer() =>
        FindOnPath("redis-server") ?? throw new InvalidOperationException(
            $"Local infrastructure mode needs redis-server, not found on PATH. {InstallHint}");

    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>A port free on the loopback interface now; the AppHost hands it to the process it starts.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Reads a secret kept in the data folder, creating it (owner-only) on first use.</summary>
    public static string ReadOrCreateSecret(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        WriteOwnerOnly(path, secret);
        return secret;
    }

    /// <summary>Writes a file only its owner can read: secrets and configs that hold them.</summary>
    public static void WriteOwnerOnly(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(new FileStream(path, options));
        writer.Write(content);
    }

    /// <summary>Runs a short command to completion; throws with its output when it fails.</summary>
    public static string Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} did not finish within {timeout.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} failed with exit code {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }

        return stdout.Result;
    }

    /// <summary>
    /// The command prefix that runs a program as <paramref name="account"/> when we are root.
    /// setpriv execs in place (no intermediate process), so the process DCP supervises and
    /// signals on shutdown is the server itself and nothing is left behind.
    /// </summary>
    public static (string Command, string[] Prefix) AsAccount(string program, string account) =>
        IsRoot
            ? ("setpriv", [$"--reuid={account}", $"--regid={account}", "--init-groups", "--", program])
            : (program, []);

    public static void ChangeOwner(string path, string account) =>
        Run("chown", ["-R", $"{account}:{account}", path], TimeSpan.FromSeconds(30));

    public static bool AccountCanEnter(string account, string directory)
    {
        var (command, prefix) = AsAccount("test", account);
        try
        {
            Run(command, [.. prefix, "-x", directory], TimeSpan.FromSeconds(10));
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string ResolveLink(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    private static uint GetEffectiveUserId()
    {
        try
        {
            var status = File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = status?.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 2 } && uint.TryParse(fields[2], out var euid) ? euid : uint.MaxValue;
        }
        catch (IOException)
        {
            return uint.MaxValue;
        }
    }
}
