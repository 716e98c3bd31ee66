using System.ClientModel;
using McpPlatform.Knowledge.Chunking;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenAI;

namespace McpPlatform.Knowledge.Embeddings;

/// <summary>Registration of embeddings and chunking for the knowledge tools.</summary>
public static class KnowledgeEmbeddingsExtensions
{
    /// <summary>
    /// Adds one process-wide <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of
    /// <see cref="string"/> to <see cref="Embedding{T}"/> of <see cref="float"/>, chosen by
    /// <c>Knowledge:Embeddings:Provider</c>: <c>minilm</c> (default: local all-MiniLM-L6-v2, 384
    /// dimensions) or <c>openai</c> (any OpenAI-compatible endpoint; <c>Endpoint</c>, <c>Model</c>,
    /// <c>Dimensions</c>, key from <c>ConnectionStrings:embeddings</c>). Also adds
    /// <see cref="TextChunker"/> (section <c>Knowledge:Chunking</c>). Both option sets are
    /// validated when the host starts.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddKnowledgeEmbeddings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString(KnowledgeEmbeddingsOptions.ConnectionStringName);
        builder.Services.AddOptions<KnowledgeEmbeddingsOptions>()
            .Bind(builder.Configuration.GetSection(KnowledgeEmbeddingsOptions.SectionName))
            .PostConfigure(options => options.ApplyConnectionString(connectionString))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KnowledgeEmbeddingsOptions>, KnowledgeEmbeddingsOptionsValidator>();
        builder.Services.AddEmbeddingGenerator(services =>
            CreateGenerator(services.GetRequiredService<IOptions<KnowledgeEmbeddingsOptions>>().Value));

        builder.Services.AddOptions<ChunkingOptions>()
            .Bind(builder.Configuration.GetSection(ChunkingOptions.SectionName))
            .Validate(options => options.Validate().Count == 0, "Knowledge:Chunking is inconsistent (see ChunkingOptions.Validate).")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new TextChunker(services.GetRequiredService<IOptions<ChunkingOptions>>().Value));
        return builder;
    }

    /// <summary>The generator for validated options.</summary>
    internal static IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(KnowledgeEmbeddingsOptions options) =>
        options.Provider switch
        {
            MiniLmEmbeddingGenerator.ProviderName => new MiniLmEmbeddingGenerator(options),
            KnowledgeEmbeddingsOptions.OpenAIProvider => new ValidatingEmbeddingGenerator(
                new OpenAIClient(new ApiKeyCredential(options.ApiKey!), new OpenAIClientOptions { Endpoint = options.Endpoint })
                    .GetEmbeddingClient(options.Model!)
                    .AsIEmbeddingGenerator(options.Dimensions),
                options),
            _ => throw new InvalidOperationException($"Unknown embedding provider '{options.Provider}'."),
        };
}
