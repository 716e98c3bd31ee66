using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.Core;

/// <summary>
/// Per-service credentials for collector-platform's OTLP receivers: <c>{service}.{mac}</c>, where
/// mac is HMAC-SHA256 of the service name under a secret only the AppHost and collector-platform
/// hold. The key names its service, so collector-platform verifies it without a table and binds
/// every batch sent with it to that service (docs/telemetry.md); a service holding its own key
/// cannot forge another's.
/// </summary>
public static class TelemetryIngestKeys
{
    /// <summary>The AppHost's secret parameter the keys are derived from.</summary>
    public const string SecretParameter = "platform-telemetry-ingest-secret";

    /// <summary>collector-platform's setting holding the same secret.</summary>
    public const string SecretSetting = "CollectorPlatform:IngestKeySecret";

    /// <summary>Derives the key of one service.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="service">The service's resource name (its OTLP <c>service.name</c>).</param>
    /// <returns>The key, safe in an HTTP header and in <c>OTEL_EXPORTER_OTLP_HEADERS</c>.</returns>
    public static string Derive(string secret, string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(service);
        return $"{service}.{Mac(secret, service)}";
    }

    /// <summary>The service a key was issued to, or null when the key is not one derived from <paramref name="secret"/>.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="key">The presented key.</param>
    /// <returns>The service name, or null.</returns>
    public static string? ServiceOf(string secret, string? key)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var dot = key?.LastIndexOf('.') ?? -1;
        if (key is null || dot <= 0 || key.Length > 512)
        {
            return null;
        }

        var service = key[..dot];
        var expected = Encoding.ASCII.GetBytes(Mac(secret, service));
        var presented = Encoding.ASCII.GetBytes(key[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, presented) ? service : null;
    }

    private static string Mac(string secret, string service) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("otlp-ingest:" + service)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
