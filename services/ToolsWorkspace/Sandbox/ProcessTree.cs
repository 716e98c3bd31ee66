using System.Globalization;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>Descendants of a process, from /proc (bubblewrap forks the worker twice below itself).</summary>
internal static class ProcessTree
{
    /// <summary>The last descendant in the first line of descent from <paramref name="pid"/> (the pid itself when it has no children).</summary>
    /// <param name="pid">The ancestor.</param>
    /// <returns>The deepest descendant's pid.</returns>
    public static int Deepest(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var child))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3);
                parents[child] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is IOException or FormatException or UnauthorizedAccessException)
            {
                // The process has gone meanwhile.
            }
        }

        var current = pid;
        for (var depth = 0; depth < 8; depth++)
        {
            var child = parents.Where(pair => pair.Value == current).Select(pair => pair.Key).DefaultIfEmpty(0).Min();
            if (child == 0)
            {
                break;
            }

            current = child;
        }

        return current;
    }
}
