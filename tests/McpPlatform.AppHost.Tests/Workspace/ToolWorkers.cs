using System.Globalization;
using System.Text;

namespace McpPlatform.AppHost.Tests.Workspace;

/// <summary>Native probes of tools-workspace's worker processes from the test (root, same host), not from inside JavaScript.</summary>
internal static class ToolWorkers
{
    /// <summary>The host pid of the worker with this id (its dotnet process, not bubblewrap around it), or 0.</summary>
    public static int PidOf(string workerId)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var arguments = CommandLine(pid);
            if (arguments.Length >= 4 && Path.GetFileName(arguments[0]) == "dotnet"
                && arguments[1].EndsWith("McpPlatform.ToolWorker.dll", StringComparison.Ordinal)
                && arguments[2] == "--worker" && arguments[3] == workerId)
            {
                return pid;
            }
        }

        return 0;
    }

    /// <summary>Polls until the worker's process shows up (bounded).</summary>
    public static async Task<int> WaitForPidAsync(string workerId, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++)
        {
            if (PidOf(workerId) is > 0 and var pid)
            {
                return pid;
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException($"No worker process {workerId}.");
    }

    /// <summary>The names of the process's environment variables.</summary>
    public static string[] EnvironmentNames(int pid) =>
        [.. Read(pid, "environ").Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(entry => entry.Split('=', 2)[0])];

    /// <summary>The process's namespace of a kind (net, pid, mnt, ipc), as the kernel names it.</summary>
    public static string Namespace(int pid, string kind) => new FileInfo($"/proc/{pid}/ns/{kind}").LinkTarget ?? string.Empty;

    /// <summary>The mount options of the process's root as it sees it.</summary>
    public static string RootMountOptions(int pid)
    {
        foreach (var line in Read(pid, "mountinfo").Split('\n'))
        {
            var fields = line.Split(' ');
            if (fields.Length > 5 && fields[4] == "/")
            {
                return fields[5];
            }
        }

        return string.Empty;
    }

    /// <summary>The process's pid in each pid namespace it is in (outermost first), from NSpid.</summary>
    public static string[] NamespacePids(int pid) =>
        Read(pid, "status").Split('\n').FirstOrDefault(line => line.StartsWith("NSpid:", StringComparison.Ordinal))?[6..]
            .Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    private static string[] CommandLine(int pid) => Read(pid, "cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static string Read(int pid, string file)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/{file}"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
