using System.Runtime.InteropServices;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>Stops a server left over from an earlier run that was not shut down cleanly.</summary>
internal static class OrphanProcesses
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static void Stop(int pid, string expectedName, int signal)
    {
        var commFile = $"/proc/{pid}/comm";
        if (!File.Exists(commFile) || !File.ReadAllText(commFile).Trim().StartsWith(expectedName, StringComparison.Ordinal))
        {
            return;
        }

        Console.Error.WriteLine($"Stopping {expectedName} (pid {pid}) left running by an earlier AppHost.");
        // libc's kill(2) directly: no dependency on procps's kill binary being installed.
        if (Kill(pid, signal) != 0)
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(commFile) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        if (File.Exists(commFile))
        {
            throw new InvalidOperationException($"{expectedName} (pid {pid}) from an earlier run did not stop within 30 s; stop it and start again.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
