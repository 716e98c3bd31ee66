using System.Text;
using Microsoft.Extensions.Options;

namespace McpPlatform.Knowledge.Store;

/// <summary>Validates <see cref="KnowledgeStoreOptions"/> at startup with messages that say what to set.</summary>
internal sealed class KnowledgeStoreOptionsValidator : IValidateOptions<KnowledgeStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeStoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.PartitionKeySecret))
        {
            failures.Add($"{KnowledgeStoreOptions.SectionName}:PartitionKeySecret is required: a random secret of at least {TenantPartitionKeys.MinimumSecretBytes} bytes "
                + "from which tenant storage names are derived (e.g. `openssl rand -base64 48`). Changing it later orphans all stored knowledge.");
        }
        else if (Encoding.UTF8.GetByteCount(options.PartitionKeySecret) < TenantPartitionKeys.MinimumSecretBytes)
        {
            failures.Add($"{KnowledgeStoreOptions.SectionName}:PartitionKeySecret must be at least {TenantPartitionKeys.MinimumSecretBytes} bytes.");
        }

        if (options.Dimensions is < 1 or > 8192)
        {
            failures.Add($"{KnowledgeStoreOptions.SectionName}:Dimensions must be between 1 and 8192 (384 for all-MiniLM-L6-v2).");
        }

        switch (options.Provider)
        {
            case VectorStoreProvider.Embedded:
                if (string.IsNullOrWhiteSpace(options.Path))
                {
                    failures.Add($"{KnowledgeStoreOptions.SectionName}:Path is required for the embedded provider: the folder that holds one subfolder per tenant partition.");
                }

                if (options.MaxChunksPerPartition < 1)
                {
                    failures.Add($"{KnowledgeStoreOptions.SectionName}:MaxChunksPerPartition must be positive.");
                }

                break;
            case VectorStoreProvider.Qdrant:
                if (options.QdrantTokenLifetime < QdrantCollectionTokenMinter.MinimumLifetime || options.QdrantTokenLifetime > QdrantCollectionTokenMinter.MaximumLifetime)
                {
                    failures.Add($"{KnowledgeStoreOptions.SectionName}:QdrantTokenLifetime must be between {QdrantCollectionTokenMinter.MinimumLifetime} and {QdrantCollectionTokenMinter.MaximumLifetime}.");
                }

                if (string.IsNullOrWhiteSpace(options.QdrantConnectionString))
                {
                    failures.Add($"The qdrant provider needs ConnectionStrings:{KnowledgeStoreOptions.QdrantConnectionName} ('Endpoint=http://host:port;Key=...').");
                    break;
                }

                try
                {
                    if (QdrantConnection.Parse(options.QdrantConnectionString).ApiKey is null)
                    {
                        failures.Add($"ConnectionStrings:{KnowledgeStoreOptions.QdrantConnectionName} needs 'Key=': the API key that provisions collections and signs collection-scoped tokens.");
                    }
                }
                catch (FormatException error)
                {
                    failures.Add($"ConnectionStrings:{KnowledgeStoreOptions.QdrantConnectionName}: {error.Message}");
                }

                break;
            default:
                failures.Add($"{KnowledgeStoreOptions.SectionName}:Provider must be 'embedded' or 'qdrant'.");
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
