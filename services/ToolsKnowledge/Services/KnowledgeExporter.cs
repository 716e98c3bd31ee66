using System.Runtime.CompilerServices;
using McpPlatform.Core;
using McpPlatform.Knowledge.Store;
using McpPlatform.ToolsKnowledge.Models;

namespace McpPlatform.ToolsKnowledge.Services;

/// <summary>
/// The one export pipeline, used by the <c>export_knowledge</c> tool and the operator export API.
/// It opens the store scope of the given context's data partition and streams what that scope
/// holds: the tenant boundary is the scope the store opened, not a filter a caller could forget.
/// </summary>
public sealed class KnowledgeExporter(IVectorStore store)
{
    /// <summary>Every document of <paramref name="tenant"/>'s data partition with its chunk texts, one at a time.</summary>
    /// <param name="tenant">Whose partition: the caller's own context, or one the operator API built for the tenant it names.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The documents, in no guaranteed order.</returns>
    /// <exception cref="KnowledgeToolException">The partition cannot be read.</exception>
    public async IAsyncEnumerable<DocumentContent> ExportAsync(TenantContext tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ITenantVectorScope scope;
        try
        {
            scope = await store.OpenAsync(tenant, cancellationToken);
        }
        catch (KnowledgeStoreException exception)
        {
            throw KnowledgeToolException.From(exception);
        }

        await using (scope)
        {
            await using var documents = scope.ExportAsync(includeVectors: false, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await documents.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (KnowledgeStoreException exception)
                {
                    throw KnowledgeToolException.From(exception);
                }

                yield return KnowledgeService.Content(documents.Current);
            }
        }
    }
}
