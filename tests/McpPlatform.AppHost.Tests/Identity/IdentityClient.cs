using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Identity;

/// <summary>Drives the identity service over HTTP the way clients do; every call is bounded.</summary>
internal static partial class IdentityClient
{
    public static readonly Uri BaseUrl = PlatformServices.Identity.LocalUrl;

    /// <summary>Waits (bounded) until identity reports healthy.</summary>
    public static Task WaitUntilReadyAsync(PlatformFixture platform) =>
        platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName);

    public static Task<(HttpStatusCode Status, JsonElement Body)> ClientCredentialsAsync(
        string clientId, string secret, string resource, CancellationToken cancellationToken) =>
        PlatformTokens.ClientCredentialsAsync(clientId, secret, resource, cancellationToken);

    public static Task<string> AgentTokenAsync(string resource, CancellationToken cancellationToken) =>
        PlatformTokens.AgentTokenAsync(DemoDirectory.ContosoAgentClientId, DemoDirectory.Parameters.ContosoAgentSecret, resource, cancellationToken);

    public static Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(
        string actorClientId, string actorSecret, string subjectToken, string resource, string invocationId,
        CancellationToken cancellationToken) =>
        PlatformTokens.ExchangeAsync(actorClientId, actorSecret, subjectToken, resource, invocationId, cancellationToken);

    public static string Secret(string parameterName) => DemoSecrets.Get(parameterName);

    /// <summary>
    /// A demo user's access token for one resource and scope (authorization code + PKCE through the
    /// sign-in form), the password read from the AppHost parameter that holds it.
    /// </summary>
    public static async Task<string> UserAccessTokenAsync(
        string userName, string passwordParameter, string resource, string scope, CancellationToken cancellationToken) =>
        (await SignInWithPkceAsync(userName, DemoSecrets.Get(passwordParameter), resource, cancellationToken, scope))
        .GetProperty("access_token").GetString()!;

    /// <summary>
    /// Authorization code + PKCE (S256) for a user, through the real sign-in form: cookies kept,
    /// antiforgery token scraped from the page, redirects followed by hand so the callback's code
    /// can be read instead of followed.
    /// </summary>
    public static async Task<JsonElement> SignInWithPkceAsync(
        string userName, string password, string resource, CancellationToken cancellationToken, string scope = PlatformScopes.McpTools)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

        var verifier = PlatformTokens.Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = PlatformTokens.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "/connect/authorize?" + Query(new()
        {
            ["client_id"] = DemoDirectory.McpCliClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = DemoDirectory.McpCliRedirectUri,
            ["scope"] = $"openid offline_access {scope}",
            ["resource"] = resource,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = "state-1",
        });

        using var first = await http.GetAsync(authorize, cancellationToken);
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var loginUrl = first.Headers.Location!;
        loginUrl.ToString().ShouldContain("/account/login");

        var page = await http.GetStringAsync(loginUrl, cancellationToken);
        var antiforgery = HiddenInput().Matches(page).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        antiforgery.ShouldContainKey("__RequestVerificationToken");

        using var login = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>(antiforgery)
        {
            ["email"] = userName,
            ["password"] = password,
        }), cancellationToken);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, await login.Content.ReadAsStringAsync(cancellationToken));

        using var back = await http.GetAsync(login.Headers.Location, cancellationToken);
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect, await back.Content.ReadAsStringAsync(cancellationToken));
        var callback = back.Headers.Location!;
        callback.GetLeftPart(UriPartial.Path).ShouldBe(DemoDirectory.McpCliRedirectUri);
        var code = System.Web.HttpUtility.ParseQueryString(callback.Query)["code"];
        code.ShouldNotBeNullOrEmpty();

        using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = DemoDirectory.McpCliClientId,
            ["code"] = code,
            ["redirect_uri"] = DemoDirectory.McpCliRedirectUri,
            ["code_verifier"] = verifier,
        }), cancellationToken);
        var body = await token.Content.ReadAsStringAsync(cancellationToken);
        token.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = DemoDirectory.McpCliClientId,
            ["refresh_token"] = refreshToken,
        }), cancellationToken);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone());
    }

    public static JsonElement Claims(string jwt) => PlatformTokens.Payload(jwt);

    /// <summary>The JOSE header of a JWT (its first segment), decoded without validation.</summary>
    public static JsonElement Header(string jwt) => PlatformTokens.Payload("x." + jwt.Split('.')[0]);


    private static string Query(Dictionary<string, string> values) =>
        string.Join('&', values.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex HiddenInput();
}
