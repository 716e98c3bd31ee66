using OpenTelemetry;
using OpenTelemetry.Logs;

namespace McpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Makes every log record tenant-free before it is exported: the formatted message is dropped (the
/// template stays as the body), state outside <see cref="PlatformTelemetryKeys.LogAttributes"/> is
/// removed unless numeric, and an exception is replaced by its type and fingerprint. Scopes are not
/// exported at all (the pipeline turns them off), so a scope opened with tenant data stays local.
/// </summary>
public sealed class PlatformLogProcessor : BaseProcessor<LogRecord>
{
    /// <inheritdoc />
    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.FormattedMessage = null;

        var attributes = data.Attributes;
        List<KeyValuePair<string, object?>>? kept = null;
        if (attributes is not null)
        {
            for (var i = 0; i < attributes.Count; i++)
            {
                var attribute = attributes[i];
                if (IsAllowed(attribute.Key, attribute.Value))
                {
                    kept?.Add(attribute);
                }
                else if (kept is null)
                {
                    kept = [.. attributes.Take(i)];
                }
            }
        }

        if (data.Exception is { } exception)
        {
            kept ??= attributes is null ? [] : [.. attributes];
            kept.Add(new(PlatformTelemetryKeys.ExceptionType, exception.GetType().FullName));
            kept.Add(new(PlatformTelemetryKeys.ExceptionFingerprint, ExceptionFingerprint.Of(exception)));
            data.Exception = null;
        }

        if (kept is not null)
        {
            data.Attributes = kept;
        }
    }

    /// <summary>Whether a log state entry may leave the service.</summary>
    /// <param name="key">State key.</param>
    /// <param name="value">State value.</param>
    /// <returns><c>true</c> when the key is allow-listed or the value cannot name anyone.</returns>
    public static bool IsAllowed(string key, object? value) =>
        PlatformTelemetryKeys.LogAttributes.Contains(key) || PlatformTelemetryKeys.IsScalar(value);
}
