using McpPlatform.Knowledge.Chunking;
using McpPlatform.Knowledge.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.Knowledge.Tests.Embeddings;

/// <summary>
/// Provider selection and start-up validation. The OpenAI-compatible provider cannot be called
/// here (no network): these tests check its configuration and that bad input is refused before
/// any request would be sent, not that it embeds.
/// </summary>
public sealed class EmbeddingsRegistrationTests
{
    private const string OpenAIConnection = "Endpoint=https://embeddings.invalid/v1;Key=test-key-not-real";

    [Fact]
    public async Task AddKnowledgeEmbeddings_NoConfiguration_MiniLmAndChunkerRegistered()
    {
        using var host = await StartAsync([]);

        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        metadata.ProviderName.ShouldBe("minilm");
        metadata.DefaultModelDimensions.ShouldBe(384);
        generator.GetService<MiniLmEmbeddingGenerator>().ShouldNotBeNull();
        host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().ShouldBeSameAs(generator);
        host.Services.GetRequiredService<TextChunker>().Options.TargetWords.ShouldBe(128);
    }

    [Fact]
    public async Task AddKnowledgeEmbeddings_OpenAIFullyConfigured_MetadataFromConfiguration()
    {
        using var host = await StartAsync(new()
        {
            ["Knowledge:Embeddings:Provider"] = "openai",
            ["Knowledge:Embeddings:Model"] = "text-embedding-3-small",
            ["Knowledge:Embeddings:Dimensions"] = "512",
            ["ConnectionStrings:embeddings"] = OpenAIConnection,
        });

        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        metadata.ProviderName.ShouldBe("openai");
        metadata.DefaultModelId.ShouldBe("text-embedding-3-small");
        metadata.DefaultModelDimensions.ShouldBe(512);
        metadata.ProviderUri!.Host.ShouldBe("embeddings.invalid");
        host.Services.GetRequiredService<IOptions<KnowledgeEmbeddingsOptions>>().Value.ToString().ShouldNotContain("test-key-not-real");
    }

    [Fact]
    public async Task OpenAIProvider_EmptyInput_RejectedBeforeAnyRequest()
    {
        using var host = await StartAsync(new()
        {
            ["Knowledge:Embeddings:Provider"] = "openai",
            ["Knowledge:Embeddings:Model"] = "text-embedding-3-small",
            ["Knowledge:Embeddings:Dimensions"] = "512",
            ["ConnectionStrings:embeddings"] = OpenAIConnection,
        });
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        // An ArgumentException, not an HttpRequestException: nothing left the process.
        (await Should.ThrowAsync<ArgumentException>(() => generator.GenerateAsync(["ok", " "], cancellationToken: TestContext.Current.CancellationToken)))
            .Message.ShouldContain("Input 1");
        await Should.ThrowAsync<ArgumentException>(() => generator.GenerateAsync([new string('x', 9_000)], cancellationToken: TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("openai", null, "text-embedding-3-small", "512", "Key=k", "Endpoint")]
    [InlineData("openai", null, null, "512", OpenAIConnection, "Model is required")]
    [InlineData("openai", null, "text-embedding-3-small", null, OpenAIConnection, "Dimensions is required")]
    [InlineData("openai", "https://embeddings.invalid/v1", "text-embedding-3-small", "512", null, "must carry Key")]
    [InlineData("openai", "ftp://embeddings.invalid/v1", "text-embedding-3-small", "512", "Key=k", "absolute http(s) URL")]
    [InlineData("minilm", null, null, "768", null, "produces 384")]
    [InlineData("word2vec", null, null, null, null, "expected 'minilm' or 'openai'")]
    public async Task AddKnowledgeEmbeddings_InvalidSettings_RefusesToStartSayingWhy(
        string provider, string? endpoint, string? model, string? dimensions, string? connection, string expected)
    {
        var exception = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new()
        {
            ["Knowledge:Embeddings:Provider"] = provider,
            ["Knowledge:Embeddings:Endpoint"] = endpoint,
            ["Knowledge:Embeddings:Model"] = model,
            ["Knowledge:Embeddings:Dimensions"] = dimensions,
            ["ConnectionStrings:embeddings"] = connection,
        }));

        exception.Message.ShouldContain(expected);
    }

    [Fact]
    public async Task AddKnowledgeEmbeddings_KeyInConfigurationSection_IgnoredAndRefusesToStart()
    {
        // The key is a secret: only the connection string (a secret parameter) may carry it.
        var exception = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new()
        {
            ["Knowledge:Embeddings:Provider"] = "openai",
            ["Knowledge:Embeddings:Endpoint"] = "https://embeddings.invalid/v1",
            ["Knowledge:Embeddings:Model"] = "text-embedding-3-small",
            ["Knowledge:Embeddings:Dimensions"] = "512",
            ["Knowledge:Embeddings:ApiKey"] = "sk-in-appsettings",
        }));

        exception.Message.ShouldContain("ConnectionStrings:embeddings must carry Key");
    }

    [Fact]
    public async Task AddKnowledgeEmbeddings_InconsistentChunking_RefusesToStart() =>
        (await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new() { ["Knowledge:Chunking:OverlapWords"] = "500" })))
            .Message.ShouldContain("Knowledge:Chunking");

    private static async Task<IHost> StartAsync(Dictionary<string, string?> configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddKnowledgeEmbeddings();
        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
