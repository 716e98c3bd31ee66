using System.Data.Common;
using Microsoft.Extensions.Options;

namespace McpPlatform.Knowledge.Embeddings;

/// <summary>
/// Which embedding provider runs and its limits (configuration section <c>Knowledge:Embeddings</c>).
/// The OpenAI-compatible provider's key never sits here: it comes from the connection string
/// <c>ConnectionStrings:embeddings</c> (<c>Endpoint=…;Key=…</c>), which the AppHost fills from a
/// secret parameter.
/// </summary>
public sealed record KnowledgeEmbeddingsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Knowledge:Embeddings";

    /// <summary>Name of the connection string holding the OpenAI-compatible endpoint and key.</summary>
    public const string ConnectionStringName = "embeddings";

    /// <summary>Provider value for the OpenAI-compatible HTTP API.</summary>
    public const string OpenAIProvider = "openai";

    /// <summary>Longest input accepted, in characters: a query or a chunk, never a document.</summary>
    public const int MaxInputCharactersLimit = 32_768;

    /// <summary><c>minilm</c> (default, local and offline) or <c>openai</c>.</summary>
    public string Provider { get; set; } = MiniLmEmbeddingGenerator.ProviderName;

    /// <summary>OpenAI-compatible base URL (e.g. <c>https://api.openai.com/v1</c>); the connection string's <c>Endpoint</c> wins.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>OpenAI-compatible model id, e.g. <c>text-embedding-3-small</c>.</summary>
    public string? Model { get; set; }

    /// <summary>Vector length: 384 for MiniLM (the only value it has); required for <c>openai</c>, and the vector store's size.</summary>
    public int? Dimensions { get; set; }

    /// <summary>Longest input in characters; longer ones are rejected with <see cref="ArgumentException"/>.</summary>
    public int MaxInputCharacters { get; set; } = 8_192;

    /// <summary>Most inputs in one call.</summary>
    public int MaxInputsPerCall { get; set; } = 2_048;

    /// <summary>MiniLM: inputs per model run.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>MiniLM: ONNX Runtime threads inside one run (1 = a run uses one core, concurrent calls use the others).</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>MiniLM: model runs at once in this process; more wait (bounded memory, no oversubscription).</summary>
    public int MaxConcurrentRuns { get; set; } = Environment.ProcessorCount;

    /// <summary>The OpenAI-compatible API key, from the connection string only (not bound from configuration).</summary>
    internal string? ApiKey { get; set; }

    /// <summary>Endpoint and key from a connection string of the form <c>Endpoint=https://…;Key=…</c> (either part optional).</summary>
    internal void ApplyConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (parts.TryGetValue("Endpoint", out var endpoint) && endpoint is string { Length: > 0 } text)
        {
            Endpoint = Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new OptionsValidationException(
                SectionName, typeof(KnowledgeEmbeddingsOptions), [$"ConnectionStrings:{ConnectionStringName} has an Endpoint that is not an absolute URL."]);
        }

        if (parts.TryGetValue("Key", out var key) && key is string { Length: > 0 } secret)
        {
            ApiKey = secret;
        }
    }

    /// <summary>Hides the key from logs and exception messages.</summary>
    public override string ToString() =>
        $"Provider={Provider}, Endpoint={Endpoint}, Model={Model}, Dimensions={Dimensions}, ApiKey={(ApiKey is null ? "none" : "set")}";
}
