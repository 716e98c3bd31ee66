using System.Net;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Identity;

public sealed class IdentityAuthorizationCodeTests(PlatformFixture platform)
{
    [Fact]
    public async Task AuthorizationCode_AliceThroughSignInForm_IssuesUserToken()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);

        var response = await IdentityClient.SignInWithPkceAsync(
            DemoDirectory.ContosoUserName, IdentityClient.Secret(DemoDirectory.Parameters.ContosoUserPassword),
            PlatformServices.ToolsKnowledge.LocalMcpResource, cancellation.Token);
        var claims = IdentityClient.Claims(response.GetProperty("access_token").GetString()!);

        claims.GetProperty(PlatformClaims.PrincipalType).GetString().ShouldBe(PrincipalTypes.User);
        claims.GetProperty(PlatformClaims.Subject).GetString().ShouldBe(DemoDirectory.ContosoUserId);
        claims.GetProperty(PlatformClaims.TenantId).GetString().ShouldBe(DemoDirectory.ContosoTenantId);
        claims.GetProperty(PlatformClaims.Audience).GetString().ShouldBe(PlatformServices.ToolsKnowledge.LocalMcpResource);
        claims.GetProperty(PlatformClaims.Role).GetString().ShouldBe(PlatformRoles.TenantAdmin);
        response.GetProperty("refresh_token").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task RefreshToken_ReusedAfterRotation_IsInvalidGrant()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        var first = await IdentityClient.SignInWithPkceAsync(
            DemoDirectory.FabrikamUserName, IdentityClient.Secret(DemoDirectory.Parameters.FabrikamUserPassword),
            PlatformServices.ToolsWorkspace.LocalMcpResource, cancellation.Token);
        var original = first.GetProperty("refresh_token").GetString()!;

        var (rotatedStatus, rotated) = await IdentityClient.RefreshAsync(original, cancellation.Token);
        rotatedStatus.ShouldBe(HttpStatusCode.OK, rotated.GetRawText());
        rotated.GetProperty("refresh_token").GetString().ShouldNotBe(original);
        IdentityClient.Claims(rotated.GetProperty("access_token").GetString()!)
            .GetProperty(PlatformClaims.TenantId).GetString().ShouldBe(DemoDirectory.FabrikamTenantId);

        var (reuseStatus, reuse) = await IdentityClient.RefreshAsync(original, cancellation.Token);

        reuseStatus.ShouldBe(HttpStatusCode.BadRequest);
        reuse.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Authorize_PlainCodeChallenge_IsRefused()
    {
        await IdentityClient.WaitUntilReadyAsync(platform);
        using var cancellation = new CancellationTokenSource(TestSettings.StepTimeout);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = IdentityClient.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

        using var response = await http.GetAsync(
            $"/connect/authorize?client_id={DemoDirectory.McpCliClientId}&response_type=code" +
            $"&redirect_uri={Uri.EscapeDataString(DemoDirectory.McpCliRedirectUri)}&scope={Uri.EscapeDataString(PlatformScopes.McpTools)}" +
            $"&resource={Uri.EscapeDataString(PlatformServices.ToolsKnowledge.LocalMcpResource)}" +
            "&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=plain",
            cancellation.Token);

        // Refused before any sign-in: never a redirect to the login page or the client.
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
