using System.Text;
using McpPlatform.Knowledge.Store;

namespace McpPlatform.Knowledge.Tests.Store;

public sealed class TenantPartitionKeysTests
{
    [Fact]
    public void KeyFor_SamePartitionAndSecret_IsStable()
    {
        var secret = StoreHarness.NewSecret();

        var one = new TenantPartitionKeys(secret).KeyFor(StoreHarness.Tenant("t1", "partition-1"));
        var two = new TenantPartitionKeys(secret).KeyForPartition("partition-1");

        one.ShouldBe(two);
        one.Length.ShouldBe(TenantPartitionKeys.KeyLength);
        TenantPartitionKeys.IsKeyShaped(one).ShouldBeTrue();
    }

    [Fact]
    public void KeyFor_UsesDataPartitionNotTenantId()
    {
        var keys = new TenantPartitionKeys(StoreHarness.NewSecret());

        keys.KeyFor(StoreHarness.Tenant("tenant-a", "shared")).ShouldBe(keys.KeyFor(StoreHarness.Tenant("tenant-b", "shared")));
        keys.KeyFor(StoreHarness.Tenant("tenant-a", "p1")).ShouldNotBe(keys.KeyFor(StoreHarness.Tenant("tenant-a", "p2")));
    }

    [Fact]
    public void KeyFor_OtherSecret_GivesUnrelatedKey()
    {
        new TenantPartitionKeys(StoreHarness.NewSecret()).KeyForPartition("contoso")
            .ShouldNotBe(new TenantPartitionKeys(StoreHarness.NewSecret()).KeyForPartition("contoso"));
    }

    [Theory]
    [InlineData("../contoso")]
    [InlineData("contoso/..")]
    [InlineData("a:b")]
    [InlineData("..")]
    public void KeyFor_PathLikePartition_YieldsOnlyBase32(string partition)
    {
        var key = new TenantPartitionKeys(StoreHarness.NewSecret()).KeyForPartition(partition);

        key.ShouldAllBe(c => (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'));
    }

    [Fact]
    public void Constructor_ShortSecret_IsRejectedWithGuidance()
    {
        var error = Should.Throw<ArgumentException>(() => new TenantPartitionKeys(new string('x', 31)));

        error.Message.ShouldContain("32 bytes");
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "my")]
    [InlineData("fo", "mzxq")]
    [InlineData("foo", "mzxw6")]
    [InlineData("foob", "mzxw6yq")]
    [InlineData("fooba", "mzxw6ytb")]
    [InlineData("foobar", "mzxw6ytboi")]
    public void Base32_Rfc4648Vectors_LowercaseUnpadded(string input, string expected) =>
        TenantPartitionKeys.Base32(Encoding.ASCII.GetBytes(input)).ShouldBe(expected);
}
