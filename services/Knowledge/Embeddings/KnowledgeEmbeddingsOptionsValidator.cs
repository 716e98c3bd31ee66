using Microsoft.Extensions.Options;

namespace McpPlatform.Knowledge.Embeddings;

/// <summary>Checks <see cref="KnowledgeEmbeddingsOptions"/> at start, so a wrong setting stops the service with a message.</summary>
internal sealed class KnowledgeEmbeddingsOptionsValidator : IValidateOptions<KnowledgeEmbeddingsOptions>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeEmbeddingsOptions options)
    {
        var problems = Check(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static List<string> Check(KnowledgeEmbeddingsOptions options)
    {
        var problems = new List<string>();
        var section = KnowledgeEmbeddingsOptions.SectionName;
        if (options.MaxInputCharacters is < 1 or > KnowledgeEmbeddingsOptions.MaxInputCharactersLimit)
        {
            problems.Add($"{section}:MaxInputCharacters must be between 1 and {KnowledgeEmbeddingsOptions.MaxInputCharactersLimit}.");
        }

        if (options.MaxInputsPerCall is < 1 or > 100_000)
        {
            problems.Add($"{section}:MaxInputsPerCall must be between 1 and 100000.");
        }

        switch (options.Provider)
        {
            case MiniLmEmbeddingGenerator.ProviderName:
                if (options.Dimensions is { } dimensions && dimensions != MiniLmEmbeddingGenerator.Dimensions)
                {
                    problems.Add($"{section}:Dimensions is {dimensions}, but {MiniLmEmbeddingGenerator.ModelId} produces {MiniLmEmbeddingGenerator.Dimensions}.");
                }

                if (options.BatchSize is < 1 or > 256)
                {
                    problems.Add($"{section}:BatchSize must be between 1 and 256.");
                }

                if (options.IntraOpThreads is < 0 or > 64)
                {
                    problems.Add($"{section}:IntraOpThreads must be between 0 (ONNX Runtime's default) and 64.");
                }

                if (options.MaxConcurrentRuns is < 1 or > 256)
                {
                    problems.Add($"{section}:MaxConcurrentRuns must be between 1 and 256.");
                }

                break;
            case KnowledgeEmbeddingsOptions.OpenAIProvider:
                if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || endpoint.Scheme is not ("https" or "http"))
                {
                    problems.Add($"{section}:Endpoint (or the Endpoint of ConnectionStrings:{KnowledgeEmbeddingsOptions.ConnectionStringName}) must be an absolute http(s) URL for provider 'openai'.");
                }

                if (string.IsNullOrWhiteSpace(options.Model))
                {
                    problems.Add($"{section}:Model is required for provider 'openai'.");
                }

                if (options.Dimensions is not (>= 1 and <= 8_192))
                {
                    problems.Add($"{section}:Dimensions is required for provider 'openai' (1-8192): the vector store is sized by it.");
                }

                if (string.IsNullOrEmpty(options.ApiKey))
                {
                    problems.Add($"ConnectionStrings:{KnowledgeEmbeddingsOptions.ConnectionStringName} must carry Key=… for provider 'openai' (a secret parameter, never configuration).");
                }

                break;
            default:
                problems.Add($"{section}:Provider is '{options.Provider}'; expected '{MiniLmEmbeddingGenerator.ProviderName}' or '{KnowledgeEmbeddingsOptions.OpenAIProvider}'.");
                break;
        }

        return problems;
    }
}
