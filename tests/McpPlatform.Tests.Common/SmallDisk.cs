using System.Diagnostics;
using System.Globalization;

namespace McpPlatform.Tests.Common;

/// <summary>
/// A real, small file system (tmpfs of a few MiB, mounted for the test) that can be filled to
/// ENOSPC and emptied again: what a full disk looks like to the code under test, without filling
/// the machine's. Mounting needs root (CI and this workplace run tests as root); where it cannot,
/// <see cref="TryMount"/> says why and the test skips with that reason, never passes.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    private SmallDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    /// <summary>The mount point; create the folder under test inside it.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on <paramref name="path"/> (created); null with the reason when it cannot.</summary>
    public static SmallDisk? TryMount(long bytes, string path, out string whyNot)
    {
        Directory.CreateDirectory(path);
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={bytes}"), "tmpfs", path);
        if (exitCode != 0)
        {
            Directory.Delete(path);
            whyNot = $"A small tmpfs cannot be mounted here (needs root): {output.Trim()}";
            return null;
        }

        whyNot = string.Empty;
        return new SmallDisk(path);
    }

    /// <summary>Writes a file until the disk refuses: afterwards no write of any size fits.</summary>
    public void Fill()
    {
        var block = new byte[64 * 1024];
        using var file = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. Fill the last partial block byte by byte.
        }

        try
        {
            while (true)
            {
                file.WriteByte(0);
            }
        }
        catch (IOException)
        {
            // Full to the byte.
        }
    }

    /// <summary>Removes what <see cref="Fill"/> wrote.</summary>
    public void Free() => File.Delete(_filler);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still busy: a lazy unmount lets it go when the last user closes it.
        }
    }

    private static (int ExitCode, string Output) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return (-1, exception.Message);
        }
    }
}
