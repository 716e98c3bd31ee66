using McpPlatform.Partner.Apis;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Tests;

/// <summary>The partner sample's key matching and its bounded request log.</summary>
public sealed class PartnerTests
{
    private static readonly IOptions<PartnerOptions> s_options = Options.Create(new PartnerOptions
    {
        Keys = new(StringComparer.Ordinal) { ["contoso"] = "key-contoso-0001", ["fabrikam"] = "key-fabrikam-0002", ["empty"] = string.Empty },
        RequestLogCapacity = 3,
    });

    [Theory]
    [InlineData("key-contoso-0001", "contoso")]
    [InlineData("key-fabrikam-0002", "fabrikam")]
    [InlineData("key-contoso-0002", null)]
    [InlineData("KEY-CONTOSO-0001", null)]
    [InlineData("key-contoso-0001 ", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TenantOf_MatchesWholeKeysOnly(string? presented, string? tenant)
    {
        new PartnerKeys(s_options).TenantOf(presented).ShouldBe(tenant);
    }

    [Fact]
    public void Sha256Hex_IsTheLowercaseDigest()
    {
        PartnerKeys.Sha256Hex("abc").ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void RequestLog_KeepsTheNewestUpToItsCapacity()
    {
        var log = new RequestLog(s_options);
        for (var i = 1; i <= 5; i++)
        {
            log.Add("GET", $"/v1/{i}", "contoso", "00");
        }

        log.After(0).Select(r => r.Seq).ShouldBe([3, 4, 5]);
        log.After(4).Select(r => r.Path).ShouldBe(["/v1/5"]);
    }

    [Fact]
    public void RequestLog_LongPath_IsCut()
    {
        var log = new RequestLog(s_options);

        log.Add("GET", "/" + new string('a', 1000), tenant: null, keySha256: null);

        log.After(0).Single().Path.Length.ShouldBe(256);
    }
}
