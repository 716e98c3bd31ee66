using McpPlatform.Core;
using McpPlatform.Knowledge.Store;

namespace McpPlatform.Knowledge.Tests.Store;

/// <summary>The contract against the embedded store, on a fresh temporary folder per test.</summary>
public sealed class EmbeddedVectorStoreContractTests : VectorStoreContractTests
{
    protected override Task<StoreHarness> CreateHarnessAsync() => Task.FromResult<StoreHarness>(new EmbeddedHarness());
}

public sealed class EmbeddedHarness : StoreHarness
{
    private readonly TenantPartitionKeys _keys = new(NewSecret());
    private readonly int _maxChunks;
    private EmbeddedVectorStore _store;

    public EmbeddedHarness(int maxChunksPerPartition = EmbeddedVectorStore.DefaultMaxChunksPerPartition)
    {
        Root = Directory.CreateTempSubdirectory("knowledge-store-test-").FullName;
        _maxChunks = maxChunksPerPartition;
        _store = Create();
    }

    public string Root { get; }

    public TenantPartitionKeys Keys => _keys;

    public EmbeddedVectorStore Embedded => _store;

    public override IVectorStore Store => _store;

    public override Task<TenantContext> NewTenantAsync(string? dataPartition = null)
    {
        var id = "tenant-" + Guid.NewGuid().ToString("N");
        return Task.FromResult(Tenant(id, dataPartition));
    }

    public override string StorageNameOf(TenantContext tenant) => _keys.KeyFor(tenant);

    public string LogPathOf(TenantContext tenant) => Path.Combine(Root, _keys.KeyFor(tenant), "vectors.log");

    public override Task ReopenAsync()
    {
        _store.Dispose();
        _store = Create();
        return Task.CompletedTask;
    }

    public EmbeddedVectorStore CreateSecondStore(int dimensions = Dimensions) => new(Root, _keys, dimensions);

    public override ValueTask DisposeAsync()
    {
        _store.Dispose();
        Directory.Delete(Root, recursive: true);
        return ValueTask.CompletedTask;
    }

    private EmbeddedVectorStore Create() => new(Root, _keys, Dimensions, _maxChunks);
}
