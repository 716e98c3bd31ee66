using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Replaces exception text with what an operator can use without tenant data: the type name and a
/// short hash of the type and the stack's method names. Messages (and <c>ToString()</c>, which
/// repeats them) can quote tenant names, arguments or document text, so they never leave.
/// </summary>
public static class ExceptionFingerprint
{
    /// <summary>Fingerprint of an exception object: type plus the methods of its frames (no message, no data).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>16 hex characters.</returns>
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            text.Append(current.GetType().FullName).Append('\n');
            foreach (var frame in new StackTrace(current, fNeedFileInfo: false).GetFrames())
            {
                var method = frame.GetMethod();
                text.Append(method?.DeclaringType?.FullName).Append('.').Append(method?.Name).Append('\n');
            }
        }

        return Hash(text.ToString());
    }

    /// <summary>Fingerprint from exported text (span events): type plus only the stack's "at" lines.</summary>
    /// <param name="type">The exception type name.</param>
    /// <param name="stackTrace">The exported stack trace text, which may start with the message.</param>
    /// <returns>16 hex characters.</returns>
    public static string Of(string? type, string? stackTrace)
    {
        var text = new StringBuilder(type).Append('\n');
        foreach (var line in (stackTrace ?? string.Empty).Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("at ", StringComparison.Ordinal))
            {
                // Drop " in /path:line N": file paths differ per build, methods do not.
                var end = trimmed.IndexOf(" in ", StringComparison.Ordinal);
                text.Append(end > 0 ? trimmed[..end] : trimmed).Append('\n');
            }
        }

        return Hash(text.ToString());
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
}
