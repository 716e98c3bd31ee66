using McpPlatform.Core;
using McpPlatform.Knowledge.Store;

namespace McpPlatform.Knowledge.Tests.Store;

/// <summary>
/// The contract against a real Qdrant (with <c>jwt_rbac</c> on) named by <c>MCPPLATFORM_QDRANT</c>
/// (<c>Endpoint=http://host:6334;Key=…</c>). Without it every test here is reported as skipped,
/// with the reason, never as passed.
/// </summary>
public sealed class QdrantVectorStoreContractTests : VectorStoreContractTests
{
    protected override Task<StoreHarness> CreateHarnessAsync() => Task.FromResult<StoreHarness>(QdrantHarness.CreateOrSkip());

    [Fact]
    public async Task Qdrant_TokenForAnotherCollection_IsRefusedByQdrant()
    {
        await using var harness = QdrantHarness.CreateOrSkip();
        var a = await harness.NewTenantAsync();
        var b = await harness.NewTenantAsync();
        await using (var scopeA = await harness.Store.OpenAsync(a, TestContext.Current.CancellationToken))
        {
            await scopeA.UpsertDocumentAsync(TestVectors.Document("secret", 1, 1, textPrefix: "canary-A"), TestContext.Current.CancellationToken);
        }

        // A request-path bug: the scope for A's collection is handed B's token. Qdrant must refuse.
        var minter = new QdrantCollectionTokenMinter(harness.Connection.ApiKey!);
        var swapped = new SwappedTokenSource(minter, harness.StorageNameOf(b));
        using var buggy = new QdrantVectorStore(harness.Connection.Endpoint, harness.Keys, swapped, StoreHarness.Dimensions);
        await using var scope = await buggy.OpenAsync(a, TestContext.Current.CancellationToken);

        var error = await Should.ThrowAsync<KnowledgeStoreException>(() => scope.SearchAsync(TestVectors.ChunkVector(1, 0), 5, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(KnowledgeStoreErrorKind.AccessDenied);
    }

    [Fact]
    public async Task Qdrant_UnprovisionedPartition_FailsAsNotProvisioned()
    {
        await using var harness = QdrantHarness.CreateOrSkip();
        await using var scope = await harness.Store.OpenAsync(StoreHarness.Tenant("never-provisioned-" + Guid.NewGuid().ToString("N")), TestContext.Current.CancellationToken);

        var error = await Should.ThrowAsync<KnowledgeStoreException>(() => scope.ListDocumentsAsync(10, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(KnowledgeStoreErrorKind.NotProvisioned);
    }

    /// <summary>Labels a token minted for <paramref name="realCollection"/> as if it were for the requested one.</summary>
    private sealed class SwappedTokenSource(QdrantCollectionTokenMinter minter, string realCollection) : IQdrantCollectionTokenSource
    {
        public ValueTask<QdrantCollectionToken> GetTokenAsync(string collection, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(minter.Mint(realCollection, TimeSpan.FromMinutes(5)) with { Collection = collection });
    }
}

public sealed class QdrantHarness : StoreHarness
{
    public const string EnvironmentVariable = "MCPPLATFORM_QDRANT";

    private readonly List<string> _partitions = [];
    private readonly QdrantCollectionProvisioner _provisioner;
    private readonly IQdrantCollectionTokenSource _tokens;
    private QdrantVectorStore _store;

    private QdrantHarness(QdrantConnection connection)
    {
        Connection = connection;
        Keys = new TenantPartitionKeys(NewSecret());
        _provisioner = new QdrantCollectionProvisioner(connection, Keys, Dimensions);
        _tokens = new InProcessQdrantCollectionTokenSource(new QdrantCollectionTokenMinter(connection.ApiKey!), TimeSpan.FromMinutes(5));
        _store = Create();
    }

    public QdrantConnection Connection { get; }

    public TenantPartitionKeys Keys { get; }

    public override IVectorStore Store => _store;

    public static QdrantHarness CreateOrSkip()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Skip($"Qdrant contract not run: set {EnvironmentVariable}='Endpoint=http://host:6334;Key=<api key>' for a Qdrant with service.jwt_rbac=true.");
        }

        var connection = QdrantConnection.Parse(value);
        if (connection.ApiKey is null)
        {
            Assert.Fail($"{EnvironmentVariable} needs Key=: the contract provisions collections and mints JWTs with it.");
        }

        return new QdrantHarness(connection);
    }

    public override async Task<TenantContext> NewTenantAsync(string? dataPartition = null)
    {
        var tenant = Tenant("tenant-" + Guid.NewGuid().ToString("N"), dataPartition);
        _partitions.Add(tenant.DataPartition);
        await _provisioner.ProvisionAsync(tenant.DataPartition, TestContext.Current.CancellationToken);
        return tenant;
    }

    public override string StorageNameOf(TenantContext tenant) => QdrantCollectionNames.For(Keys.KeyFor(tenant));

    public override Task ReopenAsync()
    {
        _store.Dispose();
        _store = Create();
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        _store.Dispose();
        foreach (var partition in _partitions)
        {
            await _provisioner.DeprovisionAsync(partition, CancellationToken.None);
        }

        _provisioner.Dispose();
    }

    private QdrantVectorStore Create() => new(Connection.Endpoint, Keys, _tokens, Dimensions);
}
