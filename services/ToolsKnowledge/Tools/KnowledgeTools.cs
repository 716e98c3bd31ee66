using System.ComponentModel;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.ToolsKnowledge.Models;
using McpPlatform.ToolsKnowledge.Services;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.ToolsKnowledge.Tools;

/// <summary>
/// Your tenant's knowledge base: ingest, search, list, read, delete and export documents. Every
/// tool works on the caller's tenant only, taken from the token; no argument names a tenant.
/// No output schema is declared, for the reason given on <see cref="McpServer.Tools.IdentityTools"/> (decision 004).
/// </summary>
[McpServerToolType]
public sealed class KnowledgeTools
{
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    /// <summary>The ingest_document tool.</summary>
    [McpServerTool(Name = "ingest_document", Idempotent = true, Destructive = false)]
    [Description("Adds a document to your tenant's private knowledge base so search_knowledge can find it. " +
        "The text is split into overlapping chunks and embedded. Ingesting again with the same documentId (or, without one, the same title) " +
        "replaces the earlier version; identical content is not re-embedded. Limit: about 1,000,000 characters per document.")]
    public static Task<CallToolResult> IngestDocument(
        KnowledgeService knowledge,
        TenantContext tenant,
        ToolCall call,
        [Description("Title shown with every search hit, 1-512 characters.")] string title,
        [Description("The document's full plain text.")] string text,
        [Description("Your id for the document (1-256 characters), used to replace or delete it later. Optional: derived from the title when omitted.")] string? documentId = null,
        [Description("Where the text came from: an absolute http(s) URL, returned with hits. Optional.")] string? sourceUrl = null,
        [Description("Up to 32 key=value strings (keys: letters, digits, '_' or '-') that search_knowledge can filter on exactly. Optional.")] Dictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Run(call, () => knowledge.IngestAsync(tenant, new IngestRequest(title, text, documentId, sourceUrl, metadata), cancellationToken));

    /// <summary>The search_knowledge tool.</summary>
    [McpServerTool(Name = "search_knowledge", ReadOnly = true, Idempotent = true)]
    [Description("Searches your tenant's knowledge base by meaning and returns the most relevant chunks, best first, each with its document id, " +
        "title, source URL, metadata and a similarity score (cosine, higher is closer). Use it before answering questions about your organisation's documents.")]
    public static Task<CallToolResult> SearchKnowledge(
        KnowledgeService knowledge,
        TenantContext tenant,
        ToolCall call,
        [Description("What to look for, in natural language (1-2000 characters).")] string query,
        [Description("How many chunks to return, 1-50. Default 5.")] int topK = 5,
        [Description("Only chunks of documents whose metadata has exactly these key=value pairs (up to 8). Optional.")] Dictionary<string, string>? filter = null,
        CancellationToken cancellationToken = default) =>
        Run(call, () => knowledge.SearchAsync(tenant, query, topK, filter, cancellationToken));

    /// <summary>The list_documents tool.</summary>
    [McpServerTool(Name = "list_documents", ReadOnly = true, Idempotent = true)]
    [Description("Lists the documents in your tenant's knowledge base (id, title, source, metadata, chunk count, last update), 50 per page.")]
    public static Task<CallToolResult> ListDocuments(
        KnowledgeService knowledge,
        TenantContext tenant,
        ToolCall call,
        [Description("The nextCursor of the previous page; omit for the first page.")] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        Run(call, () => knowledge.ListAsync(tenant, cursor, cancellationToken));

    /// <summary>The get_document tool.</summary>
    [McpServerTool(Name = "get_document", ReadOnly = true, Idempotent = true)]
    [Description("Returns one document of your tenant's knowledge base with its chunk texts in order (neighbouring chunks overlap by a few words).")]
    public static Task<CallToolResult> GetDocument(
        KnowledgeService knowledge,
        TenantContext tenant,
        ToolCall call,
        [Description("The document's id, as returned by ingest_document, list_documents or search_knowledge.")] string documentId,
        CancellationToken cancellationToken = default) =>
        Run(call, () => knowledge.GetAsync(tenant, documentId, cancellationToken));

    /// <summary>The delete_document tool.</summary>
    [McpServerTool(Name = "delete_document", Destructive = true, Idempotent = false)]
    [Description("Deletes a document and all its chunks from your tenant's knowledge base. Searches stop returning it immediately.")]
    public static Task<CallToolResult> DeleteDocument(
        KnowledgeService knowledge,
        TenantContext tenant,
        ToolCall call,
        [Description("The document's id.")] string documentId,
        CancellationToken cancellationToken = default) =>
        Run(call, async () =>
        {
            await knowledge.DeleteAsync(tenant, documentId, cancellationToken);
            return new { documentId, deleted = true };
        });

    /// <summary>The export_knowledge tool.</summary>
    [McpServerTool(Name = "export_knowledge", ReadOnly = true, Idempotent = true)]
    [Description("Exports every document of your tenant's knowledge base with its chunk texts, as one JSON result (up to about 4 MB; " +
        "larger knowledge bases are read with list_documents and get_document).")]
    public static async Task<CallToolResult> ExportKnowledge(
        KnowledgeExporter exporter,
        TenantContext tenant,
        ToolCall call,
        IOptions<KnowledgeToolOptions> options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(options);
        var limit = options.Value.MaxInlineExportBytes;
        var exportedAt = DateTimeOffset.UtcNow;
        var documents = new List<DocumentContent>();
        long bytes = 0;
        try
        {
            await foreach (var document in exporter.ExportAsync(tenant, cancellationToken))
            {
                // Counted as it streams: an over-large export stops reading instead of filling memory.
                bytes += JsonSerializer.SerializeToUtf8Bytes(document, s_web).Length;
                if (bytes > limit)
                {
                    return call.Fail(ToolErrorCodes.ExportTooLarge,
                        $"The export is larger than {limit:N0} bytes, the most one tool result carries. Read it with list_documents and get_document, " +
                        "or ask the platform operator for a full export.");
                }

                documents.Add(document);
            }
        }
        catch (KnowledgeToolException exception)
        {
            return call.Fail(exception.Code, exception.Message, exception.RetryAfterSeconds);
        }

        return ToolResults.Structured(new KnowledgeExport(exportedAt, documents.Count, documents));
    }

    private static async Task<CallToolResult> Run<T>(ToolCall call, Func<Task<T>> operation)
    {
        try
        {
            return ToolResults.Structured(await operation());
        }
        catch (KnowledgeToolException exception)
        {
            return call.Fail(exception.Code, exception.Message, exception.RetryAfterSeconds);
        }
    }
}
