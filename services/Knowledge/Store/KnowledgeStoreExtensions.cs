using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpPlatform.Knowledge.Store;

/// <summary>Registers the tenant-isolated vector store.</summary>
public static class KnowledgeStoreExtensions
{
    /// <summary>
    /// Registers <see cref="IVectorStore"/> (the request path) and <see cref="IVectorStoreProvisioner"/>
    /// (onboarding) for the provider chosen by <c>Knowledge:Store:Provider</c> (<c>embedded</c> or
    /// <c>qdrant</c>), with options validated at startup. Qdrant's endpoint and key come from
    /// <c>ConnectionStrings:qdrant</c>. Register your own <see cref="IQdrantCollectionTokenSource"/>
    /// first to keep the global key out of this process's request path; otherwise tokens are
    /// minted in-process from the connection string's key.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddKnowledgeStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.AddOptions<KnowledgeStoreOptions>()
            .Bind(configuration.GetSection(KnowledgeStoreOptions.SectionName))
            .PostConfigure(options => options.QdrantConnectionString ??= configuration.GetConnectionString(KnowledgeStoreOptions.QdrantConnectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KnowledgeStoreOptions>, KnowledgeStoreOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(services => new TenantPartitionKeys(Options(services).PartitionKeySecret!));

        builder.Services.TryAddSingleton(services => new EmbeddedVectorStore(
            Options(services).Path!,
            services.GetRequiredService<TenantPartitionKeys>(),
            Options(services).Dimensions,
            Options(services).MaxChunksPerPartition,
            services.GetRequiredService<ILogger<EmbeddedVectorStore>>(),
            services.GetRequiredService<TimeProvider>()));

        builder.Services.TryAddSingleton<IQdrantCollectionTokenSource>(services => new InProcessQdrantCollectionTokenSource(
            new QdrantCollectionTokenMinter(Qdrant(services).ApiKey!, services.GetRequiredService<TimeProvider>()),
            Options(services).QdrantTokenLifetime,
            services.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(services => new QdrantVectorStore(
            Qdrant(services).Endpoint,
            services.GetRequiredService<TenantPartitionKeys>(),
            services.GetRequiredService<IQdrantCollectionTokenSource>(),
            Options(services).Dimensions,
            services.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(services => new QdrantCollectionProvisioner(
            Qdrant(services),
            services.GetRequiredService<TenantPartitionKeys>(),
            Options(services).Dimensions,
            services.GetRequiredService<ILogger<QdrantCollectionProvisioner>>()));

        // Only the chosen provider's objects are ever created: the others stay unresolved factories.
        builder.Services.TryAddSingleton<IVectorStore>(services => Options(services).Provider == VectorStoreProvider.Qdrant
            ? services.GetRequiredService<QdrantVectorStore>()
            : services.GetRequiredService<EmbeddedVectorStore>());
        builder.Services.TryAddSingleton<IVectorStoreProvisioner>(services => Options(services).Provider == VectorStoreProvider.Qdrant
            ? services.GetRequiredService<QdrantCollectionProvisioner>()
            : services.GetRequiredService<EmbeddedVectorStore>());
        return builder;
    }

    private static KnowledgeStoreOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<KnowledgeStoreOptions>>().Value;

    private static QdrantConnection Qdrant(IServiceProvider services) =>
        QdrantConnection.Parse(Options(services).QdrantConnectionString!);
}
