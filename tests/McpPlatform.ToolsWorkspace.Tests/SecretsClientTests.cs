using System.Text;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.ServiceClients;
using McpPlatform.ToolsWorkspace.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Tests;

/// <summary>
/// The secrets read path against a local server that plays identity's token endpoint and the
/// secrets service's read API as issue 13's contract describes them (the real ones run in the
/// AppHost tests): the exchange asks for the secrets audience with the invocation id, the read
/// names the tool, and each answer maps to its reason code.
/// </summary>
public sealed class SecretsClientTests
{
    private const string Audience = "http://localhost:5800";
    private const string ExchangedToken = "exchanged-token-for-secrets";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly TenantContext s_tenant = new(
        DemoDirectory.ContosoTenantId, DemoDirectory.ContosoAgentClientId, PrincipalTypes.Agent, "inv-123",
        DemoDirectory.ContosoTenantId, DemoDirectory.ContosoTenantId, DemoDirectory.ContosoTenantId);

    private static async Task<(LocalServer Server, SecretsClient Client)> StartAsync(string? secretsOrigin = null)
    {
        var server = await LocalServer.StartAsync(async context =>
        {
            var path = context.Request.Path.Value!;
            if (path == "/.well-known/openid-configuration")
            {
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["token_endpoint"] = OriginOf(context) + "/connect/token" }, context.RequestAborted);
                return;
            }

            if (path == "/connect/token")
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var ok = form["resource"] == Audience && form[TokenExchange.InvocationIdParameter] == "inv-123" && form["subject_token"] == "caller-token";
                context.Response.StatusCode = ok ? 200 : 400;
                await context.Response.WriteAsJsonAsync(ok
                    ? new Dictionary<string, string> { ["access_token"] = ExchangedToken }
                    : new Dictionary<string, string> { ["error"] = "invalid_target" }, context.RequestAborted);
                return;
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (context.Request.Headers.Authorization != "Bearer " + ExchangedToken || body.RootElement.GetProperty("tool").GetString() != "call_connection")
            {
                context.Response.StatusCode = 401;
                return;
            }

            switch (path)
            {
                case "/v1/secrets/ok/read":
                    context.Response.Headers.CacheControl = "no-store";
                    await context.Response.WriteAsync("{\"value\":\"s3cr\\u0065t-\\\"quoted\\\"\"}", context.RequestAborted);
                    break;
                case "/v1/secrets/missing/read":
                    context.Response.StatusCode = 404;
                    break;
                case "/v1/secrets/denied/read":
                    context.Response.StatusCode = 403;
                    break;
                case "/v1/secrets/garbage/read":
                    await context.Response.WriteAsync("{\"value\":42}", context.RequestAborted);
                    break;
                default:
                    context.Response.StatusCode = 500;
                    break;
            }
        });

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Identity:Authority"] = server.Origin + "/",
        }).Build();
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var caller = new DefaultHttpContext();
        caller.Request.Headers.Authorization = "Bearer caller-token";
        var exchange = new TokenExchangeClient(new HttpClient(), new FixedHttpContextAccessor(caller),
            Options.Create(new ServerClientOptions { ClientId = DemoDirectory.ToolsWorkspaceClientId, ClientSecret = "server-secret" }),
            new DiscoveryDocument(services.GetRequiredService<IHttpClientFactory>(), configuration));
        var client = new SecretsClient(new HttpClient(), exchange, Options.Create(new SecretsOptions { BaseAddress = secretsOrigin ?? server.Origin, Audience = Audience }));
        return (server, client);
    }

    private static string OriginOf(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    [Fact]
    public async Task Read_Granted_ReturnsTheUnescapedValueAsBytes()
    {
        var (server, client) = await StartAsync();
        await using (server)
        {
            using var credential = await client.ReadAsync(s_tenant, "ok", ConnectionCaller.Tool, Cancel);

            Encoding.UTF8.GetString(credential.Value).ShouldBe("s3cret-\"quoted\"");
        }
    }

    [Theory]
    [InlineData("missing", ToolErrorCodes.SecretNotFound)]
    [InlineData("denied", ToolErrorCodes.SecretDenied)]
    [InlineData("broken", ToolErrorCodes.ConnectionUnavailable)]
    [InlineData("garbage", ToolErrorCodes.ConnectionUnavailable)]
    public async Task Read_Refused_MapsToItsReasonCode(string name, string code)
    {
        var (server, client) = await StartAsync();
        await using (server)
        {
            var error = await Should.ThrowAsync<ConnectionCallException>(() => client.ReadAsync(s_tenant, name, ConnectionCaller.Tool, Cancel));

            error.Code.ShouldBe(code);
        }
    }

    [Fact]
    public async Task Read_SecretsServiceDown_IsConnectionUnavailable()
    {
        string gone;
        await using (var stopped = await LocalServer.StartAsync(_ => Task.CompletedTask))
        {
            gone = stopped.Origin;
        }

        var (server, client) = await StartAsync(secretsOrigin: gone);
        await using (server)
        {
            var error = await Should.ThrowAsync<ConnectionCallException>(() => client.ReadAsync(s_tenant, "ok", ConnectionCaller.Tool, Cancel));

            error.Code.ShouldBe(ToolErrorCodes.ConnectionUnavailable);
        }
    }

    // HttpContextAccessor keeps its context in an AsyncLocal, which does not flow out of the async
    // method that sets it; the caller's request here is one fixed context.
    private sealed class FixedHttpContextAccessor(HttpContext context) : IHttpContextAccessor
    {
        public HttpContext? HttpContext { get; set; } = context;
    }
}
