using Microsoft.Extensions.AI;

namespace McpPlatform.Knowledge.Embeddings;

/// <summary>Applies <see cref="EmbeddingInputs"/> in front of a provider that does not (the OpenAI-compatible one).</summary>
internal sealed class ValidatingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, KnowledgeEmbeddingsOptions options)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? generationOptions = null, CancellationToken cancellationToken = default) =>
        base.GenerateAsync(EmbeddingInputs.Validate(values, options.MaxInputCharacters, options.MaxInputsPerCall), generationOptions, cancellationToken);
}
