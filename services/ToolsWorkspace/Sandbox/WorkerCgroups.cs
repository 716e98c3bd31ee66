using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.ToolsWorkspace.Sandbox;

/// <summary>
/// The service's cgroup v1 folders for its workers: under the service's own memory, pids and cpu
/// cgroups, one folder <c>mcpplatform-workers-&lt;pid&gt;</c>; in it a memory and a pids group per
/// worker (its limits) and a cpu group per tenant (equal weights, so one tenant's busy workers
/// cannot take the CPU from another's). Cgroup v2 needs a delegated subtree and is not used.
/// </summary>
internal sealed class WorkerCgroups
{
    private const string Mount = "/sys/fs/cgroup";
    private readonly string _memory;
    private readonly string _pids;
    private readonly string? _cpu;

    private WorkerCgroups(string memory, string pids, string? cpu)
    {
        _memory = memory;
        _pids = pids;
        _cpu = cpu;
    }

    /// <summary>Whether tenants get cpu groups.</summary>
    public bool HasCpu => _cpu is not null;

    /// <summary>Creates the service's folders, or returns null when memory or pids cannot be written.</summary>
    /// <param name="servicePid">This process's id (names the folders, so two services never share them).</param>
    /// <returns>The folders, or null.</returns>
    public static WorkerCgroups? Create(int servicePid)
    {
        var name = $"mcpplatform-workers-{servicePid.ToString(CultureInfo.InvariantCulture)}";
        var memory = Prepare("memory", name, "memory.limit_in_bytes");
        var pids = Prepare("pids", name, "pids.max");
        if (memory is null || pids is null)
        {
            TryRemove(memory);
            TryRemove(pids);
            return null;
        }

        return new WorkerCgroups(memory, pids, Prepare("cpu", name, "cpu.shares"));
    }

    /// <summary>Creates a worker's memory and pids groups with their limits, and names the cpu group it starts in.</summary>
    /// <param name="workerId">The worker's id.</param>
    /// <param name="memoryBytes">Memory limit (heap plus runtime).</param>
    /// <param name="maxProcesses">Tasks limit.</param>
    /// <param name="tenant">The tenant a worker is started for, or null for a warm one.</param>
    /// <returns>The files a process writes its pid to, to enter the groups (cpu: null without the controller).</returns>
    public (string MemoryProcs, string PidsProcs, string? CpuProcs) CreateWorker(string workerId, long memoryBytes, int maxProcesses, string? tenant)
    {
        var memory = Path.Combine(_memory, workerId);
        var pids = Path.Combine(_pids, workerId);
        Directory.CreateDirectory(memory);
        Directory.CreateDirectory(pids);
        File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
        TryWrite(Path.Combine(memory, "memory.swappiness"), "0");
        File.WriteAllText(Path.Combine(pids, "pids.max"), maxProcesses.ToString(CultureInfo.InvariantCulture));
        return (Path.Combine(memory, "cgroup.procs"), Path.Combine(pids, "cgroup.procs"), CpuGroup(tenant));
    }

    /// <summary>How many times the worker's group hit its memory limit (failcnt), or 0.</summary>
    /// <param name="workerId">The worker's id.</param>
    /// <returns>The count.</returns>
    public long MemoryFailures(string workerId)
    {
        var text = TryRead(Path.Combine(_memory, workerId, "memory.failcnt"));
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>Moves a worker into its tenant's cpu group (created on first use).</summary>
    /// <param name="tenant">The tenant the worker is bound to.</param>
    /// <param name="pid">The worker's pid on the host.</param>
    public void JoinTenant(string tenant, int pid)
    {
        if (CpuGroup(tenant) is { } procs)
        {
            TryWrite(procs, pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    // A tenant's group weighs as much as any other tenant's; warm workers start in a group of an
    // eighth of that weight, so starting replacements (about half a CPU-second each) takes CPU
    // from idle time first, not from tenants' running scripts.
    private string? CpuGroup(string? tenant)
    {
        if (_cpu is null)
        {
            return null;
        }

        var group = Path.Combine(_cpu, tenant is null ? "warm" : TenantGroup(tenant));
        if (!Directory.Exists(group))
        {
            Directory.CreateDirectory(group);
            TryWrite(Path.Combine(group, "cpu.shares"), tenant is null ? "128" : "1024");
        }

        return Path.Combine(group, "cgroup.procs");
    }

    /// <summary>Removes a stopped worker's groups (the kernel refuses while a process is in them).</summary>
    /// <param name="workerId">The worker's id.</param>
    public void RemoveWorker(string workerId)
    {
        TryRemove(Path.Combine(_memory, workerId));
        TryRemove(Path.Combine(_pids, workerId));
    }

    /// <summary>Removes the service's folders and its tenants' cpu groups when empty.</summary>
    public void RemoveAll()
    {
        if (_cpu is not null && Directory.Exists(_cpu))
        {
            foreach (var group in Directory.EnumerateDirectories(_cpu))
            {
                TryRemove(group);
            }
        }

        foreach (var root in new[] { _memory, _pids })
        {
            if (Directory.Exists(root))
            {
                foreach (var group in Directory.EnumerateDirectories(root))
                {
                    TryRemove(group);
                }
            }
        }

        TryRemove(_memory);
        TryRemove(_pids);
        TryRemove(_cpu);
    }

    // A tenant id is not a safe folder name; its hash is (and does not put tenant ids in /sys).
    private static string TenantGroup(string tenant) =>
        "t-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant)))[..16];

    private static string? Prepare(string controller, string name, string probeFile)
    {
        try
        {
            var own = OwnPath(controller);
            if (own is null)
            {
                return null;
            }

            var folder = Path.Combine(Mount, controller, own.TrimStart('/'), name);
            Directory.CreateDirectory(folder);
            if (!File.Exists(Path.Combine(folder, probeFile)))
            {
                TryRemove(folder);
                return null;
            }

            return folder;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // "4:memory:/some/path" in /proc/self/cgroup (v1); controllers may be joined ("cpu,cpuacct").
    private static string? OwnPath(string controller)
    {
        if (!File.Exists("/proc/self/cgroup") || !Directory.Exists(Path.Combine(Mount, controller)))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains(controller, StringComparer.Ordinal))
            {
                return parts[2];
            }
        }

        return null;
    }

    private static void TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Optional knobs (swappiness) and moves of a process that has just exited.
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryRemove(string? folder)
    {
        try
        {
            if (folder is not null && Directory.Exists(folder))
            {
                // A cgroup folder holds kernel files only: rmdir, never recursive delete.
                Directory.Delete(folder);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Still in use (a process has not gone yet); the next start's sweep or the kernel takes it.
        }
    }
}
