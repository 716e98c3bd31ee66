using McpPlatform.Knowledge.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.Knowledge.Tests.Store;

public sealed class KnowledgeStoreRegistrationTests
{
    [Fact]
    public async Task AddKnowledgeStore_EmbeddedConfigured_ResolvesEmbeddedStoreAndProvisioner()
    {
        var root = Directory.CreateTempSubdirectory("knowledge-registration-").FullName;
        try
        {
            using var host = Build(new()
            {
                ["Knowledge:Store:Provider"] = "embedded",
                ["Knowledge:Store:Path"] = root,
                ["Knowledge:Store:PartitionKeySecret"] = StoreHarness.NewSecret(),
            });
            await host.StartAsync(TestContext.Current.CancellationToken);

            var store = host.Services.GetRequiredService<IVectorStore>();
            store.ShouldBeOfType<EmbeddedVectorStore>();
            store.Dimensions.ShouldBe(384);
            host.Services.GetRequiredService<IVectorStoreProvisioner>().ShouldBeSameAs(store);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task AddKnowledgeStore_QdrantConfigured_ResolvesQdrantStoreWithoutConnecting()
    {
        using var host = Build(new()
        {
            ["Knowledge:Store:Provider"] = "qdrant",
            ["Knowledge:Store:PartitionKeySecret"] = StoreHarness.NewSecret(),
            ["ConnectionStrings:qdrant"] = "Endpoint=http://127.0.0.1:1;Key=some-api-key",
        });
        await host.StartAsync(TestContext.Current.CancellationToken);

        host.Services.GetRequiredService<IVectorStore>().ShouldBeOfType<QdrantVectorStore>();
        host.Services.GetRequiredService<IVectorStoreProvisioner>().ShouldBeOfType<QdrantCollectionProvisioner>();
        host.Services.GetRequiredService<IQdrantCollectionTokenSource>().ShouldBeOfType<InProcessQdrantCollectionTokenSource>();
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AddKnowledgeStore_MissingSecret_FailsAtStartNamingTheSetting()
    {
        using var host = Build(new() { ["Knowledge:Store:Path"] = "/tmp/unused" });

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        error.Message.ShouldContain("Knowledge:Store:PartitionKeySecret is required");
    }

    [Fact]
    public async Task AddKnowledgeStore_EmbeddedWithoutPath_FailsAtStart()
    {
        using var host = Build(new() { ["Knowledge:Store:PartitionKeySecret"] = StoreHarness.NewSecret() });

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        error.Message.ShouldContain("Knowledge:Store:Path is required");
    }

    [Fact]
    public async Task AddKnowledgeStore_QdrantWithoutConnectionOrKey_FailsAtStart()
    {
        using var missing = Build(new() { ["Knowledge:Store:Provider"] = "qdrant", ["Knowledge:Store:PartitionKeySecret"] = StoreHarness.NewSecret() });
        using var keyless = Build(new()
        {
            ["Knowledge:Store:Provider"] = "qdrant",
            ["Knowledge:Store:PartitionKeySecret"] = StoreHarness.NewSecret(),
            ["ConnectionStrings:qdrant"] = "Endpoint=http://127.0.0.1:1",
        });

        (await Should.ThrowAsync<OptionsValidationException>(() => missing.StartAsync(TestContext.Current.CancellationToken))).Message.ShouldContain("ConnectionStrings:qdrant");
        (await Should.ThrowAsync<OptionsValidationException>(() => keyless.StartAsync(TestContext.Current.CancellationToken))).Message.ShouldContain("needs 'Key='");
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddKnowledgeStore();
        return builder.Build();
    }
}
