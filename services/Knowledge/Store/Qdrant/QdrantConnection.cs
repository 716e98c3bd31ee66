using System.Data.Common;

namespace McpPlatform.Knowledge.Store;

/// <summary>A Qdrant endpoint in Aspire's connection-string form: <c>Endpoint=http://host:6334;Key=…</c> (gRPC endpoint).</summary>
/// <param name="Endpoint">The gRPC endpoint.</param>
/// <param name="ApiKey">The global API key (also the JWT signing secret), if any.</param>
public sealed record QdrantConnection(Uri Endpoint, string? ApiKey)
{
    /// <summary>Parses the connection string; throws <see cref="FormatException"/> naming what is wrong (never the key).</summary>
    public static QdrantConnection Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The Qdrant connection string is empty; expected 'Endpoint=http://host:port;Key=...'.");
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException error)
        {
            throw new FormatException("The Qdrant connection string is not of the form 'Endpoint=http://host:port;Key=...'.", error);
        }

        if (!builder.TryGetValue("Endpoint", out var endpointValue) || endpointValue is not string endpointText
            || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint)
            || endpoint.Scheme is not ("http" or "https"))
        {
            throw new FormatException("The Qdrant connection string needs 'Endpoint=' with an absolute http(s) URL of the gRPC port.");
        }

        var key = builder.TryGetValue("Key", out var keyValue) && keyValue is string text && text.Length > 0 ? text : null;
        return new QdrantConnection(endpoint, key);
    }
}
