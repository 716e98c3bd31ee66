using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Identity;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.Core;
using Npgsql;

namespace McpPlatform.AppHost.Tests.Telemetry;

/// <summary>Talks to collector-tenant as its callers do, and to the audit database as its app role.</summary>
internal static class AuditClient
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Uri Url(string pathAndQuery) => new(PlatformServices.CollectorTenant.LocalUrl, pathAndQuery);

    /// <summary>A real user token for collector-tenant (authorization code + PKCE through identity).</summary>
    public static Task<string> UserTokenAsync(string userName, string passwordParameter, CancellationToken cancellationToken) =>
        IdentityClient.UserAccessTokenAsync(userName, passwordParameter, PlatformServices.CollectorTenant.LocalOrigin, PlatformScopes.AuditRead, cancellationToken);

    public static Task<string> AliceAsync(CancellationToken cancellationToken) =>
        UserTokenAsync(DemoDirectory.ContosoUserName, DemoDirectory.Parameters.ContosoUserPassword, cancellationToken);

    public static Task<string> BobAsync(CancellationToken cancellationToken) =>
        UserTokenAsync(DemoDirectory.FabrikamUserName, DemoDirectory.Parameters.FabrikamUserPassword, cancellationToken);

    public static Task<string> OperatorAsync(CancellationToken cancellationToken) =>
        UserTokenAsync(DemoDirectory.OperatorUserName, DemoDirectory.Parameters.OperatorPassword, cancellationToken);

    /// <summary>
    /// A second operator: the demo directory seeds one, so this token is signed with identity's own
    /// key (as identity would issue it) for an operator id that is not the seeded one.
    /// </summary>
    public static async Task<string> SecondOperatorAsync(CancellationToken cancellationToken)
    {
        using var key = await IdentitySigningKey.LoadAsync(cancellationToken);
        using var discovery = JsonDocument.Parse(await s_http.GetStringAsync(
            new Uri(PlatformServices.Identity.LocalUrl, ".well-known/openid-configuration"), cancellationToken));
        var now = DateTimeOffset.UtcNow;
        return key.Sign(new JsonObject
        {
            ["iss"] = discovery.RootElement.GetProperty("issuer").GetString(),
            ["aud"] = PlatformServices.CollectorTenant.LocalOrigin,
            ["sub"] = "second-operator",
            [PlatformClaims.Role] = PlatformRoles.Operator,
            [PlatformClaims.Scope] = PlatformScopes.AuditRead,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        });
    }

    /// <summary>tools-knowledge's own token for the collector (what its audit delivery uses).</summary>
    public static async Task<string> ServiceTokenAsync(CancellationToken cancellationToken)
    {
        var (status, body) = await PlatformTokens.PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["resource"] = PlatformServices.CollectorTenant.LocalOrigin,
            ["scope"] = PlatformScopes.AuditWrite,
        }, DemoDirectory.ToolsKnowledgeClientId, DemoSecrets.Get(DemoDirectory.Parameters.ToolsKnowledgeClientSecret), cancellationToken);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        return body.GetProperty("access_token").GetString()!;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(
        HttpMethod method, string pathAndQuery, string? bearer, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, Url(pathAndQuery)) { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await s_http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text).RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery, string bearer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, bearer, null, cancellationToken);

    public static Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(string path, string bearer, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, bearer, JsonContent.Create(body), cancellationToken);

    public static Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(string path, string bearer, string body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, bearer, new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Polls the read API (bounded) until it returns at least <paramref name="count"/> records.</summary>
    public static async Task<JsonElement[]> WaitForRecordsAsync(string bearer, string query, int count, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TestSettings.StepTimeout;
        while (true)
        {
            var (status, body) = await GetAsync("/v1/records?" + query, bearer, cancellationToken);
            status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
            var records = body.GetProperty("records").EnumerateArray().ToArray();
            if (records.Length >= count)
            {
                return records;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"collector-tenant did not show {count} records for '{query}' (has {records.Length})");
            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>A raw session on the audit database as the collector's app role (what RLS must bind).</summary>
    public static async Task<NpgsqlConnection> AppRoleSessionAsync(PlatformFixture platform, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(await platform.ConnectionStringAsync(InfrastructureResources.AuditDatabase))
        {
            Username = AuditDatabaseRoles.App,
            Password = DemoSecrets.Get(AuditDatabaseRoles.AppPasswordParameter),
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Counts rows (and distinct invocation ids) matching a LIKE pattern, as the app role with one tenant set.</summary>
    public static async Task<(long Rows, long Invocations)> CountAsync(
        PlatformFixture platform, string tenant, string invocationPattern, CancellationToken cancellationToken)
    {
        await using var connection = await AppRoleSessionAsync(platform, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var set = new NpgsqlCommand($"SELECT set_config('{AuditDatabaseRoles.TenantSetting}', $1, true)", connection, transaction))
        {
            set.Parameters.Add(new() { Value = tenant });
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var count = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT invocation_id) FROM audit.records WHERE invocation_id LIKE $1", connection, transaction);
        count.Parameters.Add(new() { Value = invocationPattern });
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
