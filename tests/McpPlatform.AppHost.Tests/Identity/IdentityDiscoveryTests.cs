using System.Text.Json;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Identity;

public sealed class IdentityDiscoveryTests(PlatformFixture platform)
{
    [Theory]
    [InlineData(".well-known/oauth-authorization-server")]
    [InlineData(".well-known/openid-configuration")]
    public async Task Discovery_Metadata_AdvertisesS256OnlyAndTokenExchange(string path)
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(IdentityClient.BaseUrl, path), cancellation.Token));
        var metadata = document.RootElement;

        metadata.GetProperty("issuer").GetString().ShouldBe(PlatformServices.Identity.LocalOrigin + "/");
        var methods = metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()).ToList();
        methods.ShouldContain("S256");
        methods.ShouldNotContain("plain");
        metadata.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString())
            .ShouldContain(TokenExchange.GrantType);
        metadata.GetProperty("jwks_uri").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Jwks_SigningKey_IsRsaForRs256()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var jwks = JsonDocument.Parse(await http.GetStringAsync(new Uri(IdentityClient.BaseUrl, ".well-known/jwks"), cancellation.Token));

        jwks.RootElement.GetProperty("keys").EnumerateArray()
            .ShouldContain(key => key.GetProperty("kty").GetString() == "RSA" && key.GetProperty("use").GetString() == "sig");
    }
}
