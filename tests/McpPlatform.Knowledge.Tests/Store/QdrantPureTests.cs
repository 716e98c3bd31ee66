using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpPlatform.Knowledge.Store;
using Microsoft.Extensions.Time.Testing;

namespace McpPlatform.Knowledge.Tests.Store;

/// <summary>The parts of the Qdrant provider that need no Qdrant: names, tokens, connection strings.</summary>
public sealed class QdrantPureTests
{
    private const string ApiKey = "qdrant-test-api-key-0123456789abcdef";

    [Fact]
    public void CollectionName_ForPartitionKey_IsPrefixedOpaqueKey()
    {
        var keys = new TenantPartitionKeys(StoreHarness.NewSecret());
        var key = keys.KeyForPartition("contoso");

        var name = QdrantCollectionNames.For(key);

        name.ShouldBe("kb_" + key);
        name.Length.ShouldBe(55);
        name.ShouldNotContain("contoso");
        QdrantCollectionNames.IsKnowledgeCollection(name).ShouldBeTrue();
    }

    [Theory]
    [InlineData("*")]
    [InlineData("kb_")]
    [InlineData("kb_../other")]
    [InlineData("contoso")]
    [InlineData("kb_ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ")]
    public void CollectionName_NotFromAPartitionKey_IsRejected(string name)
    {
        QdrantCollectionNames.IsKnowledgeCollection(name).ShouldBeFalse();
        Should.Throw<ArgumentException>(() => QdrantCollectionNames.For(name.Replace("kb_", "", StringComparison.Ordinal)));
        Should.Throw<ArgumentException>(() => new QdrantCollectionTokenMinter(ApiKey).Mint(name, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Mint_CollectionToken_IsHs256JwtGrantingOnlyThatCollection()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var collection = QdrantCollectionNames.For(new TenantPartitionKeys(StoreHarness.NewSecret()).KeyForPartition("fabrikam"));

        var token = new QdrantCollectionTokenMinter(ApiKey, time).Mint(collection, TimeSpan.FromMinutes(10));

        var parts = token.Token.Split('.');
        parts.Length.ShouldBe(3);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        header.RootElement.GetProperty("alg").GetString().ShouldBe("HS256");
        header.RootElement.GetProperty("typ").GetString().ShouldBe("JWT");
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        payload.RootElement.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["access", "exp"]);
        payload.RootElement.GetProperty("exp").GetInt64().ShouldBe(time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds());
        var access = payload.RootElement.GetProperty("access").EnumerateArray().ShouldHaveSingleItem();
        access.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["access", "collection"]);
        access.GetProperty("collection").GetString().ShouldBe(collection);
        access.GetProperty("access").GetString().ShouldBe("rw");
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(ApiKey), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Base64Url.DecodeFromChars(parts[2]).ShouldBe(expected);
        token.ExpiresAt.ShouldBe(time.GetUtcNow().AddMinutes(10));
        token.Collection.ShouldBe(collection);
    }

    [Fact]
    public void Mint_WithAnotherKey_SignsDifferently()
    {
        var collection = QdrantCollectionNames.For(new TenantPartitionKeys(StoreHarness.NewSecret()).KeyForPartition("x"));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));

        var one = new QdrantCollectionTokenMinter(ApiKey, time).Mint(collection, TimeSpan.FromMinutes(5)).Token.Split('.');
        var other = new QdrantCollectionTokenMinter(ApiKey + "x", time).Mint(collection, TimeSpan.FromMinutes(5)).Token.Split('.');

        other[1].ShouldBe(one[1]);
        other[2].ShouldNotBe(one[2]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(3601)]
    public void Mint_LifetimeOutOfRange_IsRejected(int seconds)
    {
        var collection = QdrantCollectionNames.For(new TenantPartitionKeys(StoreHarness.NewSecret()).KeyForPartition("x"));

        Should.Throw<ArgumentOutOfRangeException>(() => new QdrantCollectionTokenMinter(ApiKey).Mint(collection, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public async Task TokenSource_CachesUntilNearExpiry_ThenMintsAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var source = new InProcessQdrantCollectionTokenSource(new QdrantCollectionTokenMinter(ApiKey, time), TimeSpan.FromMinutes(10), time);
        var collection = QdrantCollectionNames.For(new TenantPartitionKeys(StoreHarness.NewSecret()).KeyForPartition("x"));
        var cancel = TestContext.Current.CancellationToken;

        var first = await source.GetTokenAsync(collection, cancel);
        time.Advance(TimeSpan.FromMinutes(7));
        var cached = await source.GetTokenAsync(collection, cancel);
        time.Advance(TimeSpan.FromMinutes(1.5));
        var renewed = await source.GetTokenAsync(collection, cancel);

        cached.ShouldBeSameAs(first);
        renewed.ShouldNotBeSameAs(first);
        renewed.ExpiresAt.ShouldBe(time.GetUtcNow().AddMinutes(10));
    }

    [Fact]
    public void PointId_IsDeterministicPerDocumentAndChunk()
    {
        QdrantVectorStore.PointId("doc", 0).ShouldBe(QdrantVectorStore.PointId("doc", 0));
        QdrantVectorStore.PointId("doc", 0).ShouldNotBe(QdrantVectorStore.PointId("doc", 1));
        QdrantVectorStore.PointId("doc", 1).ShouldNotBe(QdrantVectorStore.PointId("doc1", 1));
        QdrantVectorStore.PointId("a", 256).ShouldNotBe(QdrantVectorStore.PointId("a\u0001", 0));
    }

    [Fact]
    public void ConnectionString_AspireForm_Parses()
    {
        var connection = QdrantConnection.Parse("Endpoint=http://localhost:6334;Key=secret-key");

        connection.Endpoint.ShouldBe(new Uri("http://localhost:6334"));
        connection.ApiKey.ShouldBe("secret-key");
        QdrantConnection.Parse("Endpoint=https://q.example:6334").ApiKey.ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("Key=secret-key")]
    [InlineData("Endpoint=localhost:6334;Key=secret-key")]
    [InlineData("Endpoint=ftp://host;Key=secret-key")]
    [InlineData("Endpoint")]
    public void ConnectionString_Malformed_FailsWithoutEchoingTheKey(string value)
    {
        var error = Should.Throw<FormatException>(() => QdrantConnection.Parse(value));

        error.Message.ShouldContain("Endpoint");
        error.Message.ShouldNotContain("secret-key");
    }
}
