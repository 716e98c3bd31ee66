namespace McpPlatform.AppHost.Infrastructure;

/// <summary>Stops a server left over from an earlier run that was not shut down cleanly.</summary>
internal static class OrphanProcesses
{
    public static void Stop(int pid, string expectedName, string signal)
    {
        var commFile = $"/proc/{pid}/comm";
        if (!File.Exists(commFile) || !File.ReadAllText(commFile).Trim().StartsWith(expectedName, StringComparison.Ordinal))
        {
            return;
        }

        Console.Error.WriteLine($"Stopping {expectedName} (pid {pid}) left running by an earlier AppHost.");
        LocalMachine.Run("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
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
}
