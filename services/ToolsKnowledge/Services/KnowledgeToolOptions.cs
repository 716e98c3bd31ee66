namespace McpPlatform.ToolsKnowledge.Services;

/// <summary>Limits and cache lifetimes of the knowledge tools (configuration section <c>Knowledge:Tools</c>).</summary>
public sealed class KnowledgeToolOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Knowledge:Tools";

    /// <summary>
    /// Largest document text, in UTF-16 characters. About 1 MB of prose gives ~1,700 chunks,
    /// under the store's 2,048 chunks per document, and embeds in well under a minute with MiniLM.
    /// </summary>
    public int MaxDocumentCharacters { get; set; } = 1_000_000;

    /// <summary>
    /// Largest request body the <c>/mcp</c> endpoint reads. Above Kestrel's 30 MB default so an
    /// oversized document (the tests send 50 MB) reaches the tool and gets a tool error with a
    /// reason code instead of an HTTP 413 the model never sees; bounded so one request cannot
    /// hold unbounded memory.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Longest search query, in characters.</summary>
    public int MaxQueryCharacters { get; set; } = 2_000;

    /// <summary>Largest <c>topK</c> a search accepts (results go into a model's context).</summary>
    public int MaxTopK { get; set; } = 50;

    /// <summary>How long a search result stays cached (ingest and delete invalidate it earlier).</summary>
    public TimeSpan SearchCacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a query's embedding stays cached (it depends on the model only, not on stored data).</summary>
    public TimeSpan EmbeddingCacheTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Chunks embedded per call to the embedding generator during ingest.</summary>
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>Largest export the <c>export_knowledge</c> tool returns inline, in UTF-8 JSON bytes.</summary>
    public int MaxInlineExportBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Cost charged per 1,000 embedding tokens (0 for the local model).</summary>
    public decimal CostPerThousandEmbeddingTokens { get; set; }

    /// <summary>Checks the options are usable.</summary>
    /// <returns>Problems; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxDocumentCharacters < 1)
        {
            problems.Add($"{SectionName}:MaxDocumentCharacters must be positive.");
        }

        if (MaxRequestBodyBytes < 1024 * 1024)
        {
            problems.Add($"{SectionName}:MaxRequestBodyBytes must be at least 1 MiB.");
        }

        if (MaxQueryCharacters is < 1 or > 8_000)
        {
            problems.Add($"{SectionName}:MaxQueryCharacters must be between 1 and 8000.");
        }

        if (MaxTopK is < 1 or > Knowledge.Store.VectorStoreLimits.MaxTopK)
        {
            problems.Add($"{SectionName}:MaxTopK must be between 1 and {Knowledge.Store.VectorStoreLimits.MaxTopK}.");
        }

        if (SearchCacheTtl <= TimeSpan.Zero || EmbeddingCacheTtl <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}: cache lifetimes must be positive.");
        }

        if (EmbeddingBatchSize is < 1 or > 2_048)
        {
            problems.Add($"{SectionName}:EmbeddingBatchSize must be between 1 and 2048.");
        }

        if (MaxInlineExportBytes < 1024)
        {
            problems.Add($"{SectionName}:MaxInlineExportBytes must be at least 1 KiB.");
        }

        if (CostPerThousandEmbeddingTokens < 0)
        {
            problems.Add($"{SectionName}:CostPerThousandEmbeddingTokens must not be negative.");
        }

        return problems;
    }
}
