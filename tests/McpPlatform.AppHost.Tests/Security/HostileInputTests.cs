using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using McpPlatform.AppHost.Tests.Identity;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.AppHost.Tests.Telemetry;
using McpPlatform.AppHost.Tests.Workspace;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Security;

/// <summary>
/// Hostile input against every HTTP service of the AppHost (issue 12, docs/errors.md): whatever
/// the request, the answer is below 500 and carries no exception type, stack frame, source path
/// or System-qualified type. A new service adds its rows to <see cref="Cases"/>; the shared rows
/// (malformed request line, 64 KB header, control characters in the query) cover it by port.
/// </summary>
public sealed partial class HostileInputTests(PlatformFixture platform)
{
    private static readonly HttpClient s_http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // The services the AppHost runs today; a new HTTP service goes here and gets the shared rows.
    private static readonly PlatformService[] s_services =
    [
        PlatformServices.Identity, PlatformServices.ToolsKnowledge, PlatformServices.Quota,
        PlatformServices.CollectorPlatform, PlatformServices.CollectorTenant, PlatformServices.Downstream,
        PlatformServices.Secrets, PlatformServices.ToolsWorkspace, PlatformServices.Partner,
    ];

    [Fact]
    public async Task EveryService_HostileRequests_AnswerBelow500WithoutInternals()
    {
        await platform.WaitForHealthyAsync([.. s_services.Select(service => service.ResourceName)]);
        var tokens = await Tokens.GetAsync(Cancel);
        var login = await LoginForm.GetAsync(Cancel);

        var failures = new List<string>();
        var cases = Cases(tokens, login).ToList();
        foreach (var hostile in cases)
        {
            var (status, body) = hostile.Raw is { } raw ? await SendRawAsync(raw.Port, raw.Bytes) : await SendAsync(hostile.Request!());
            if (status >= 500 || Leak(body) is { } leak)
            {
                failures.Add($"{hostile.Name}: {status} {(status >= 500 ? string.Empty : $"leaks '{Leak(body)}' ")}{Snippet(body)}");
            }
        }

        failures.ShouldBeEmpty($"{failures.Count} of {cases.Count} hostile requests were answered with a 5xx or internals:\n" + string.Join("\n", failures));
    }

    // secrets: the admin API with a tenant admin's token and the read API with an exchanged token,
    // so every body is actually read. Its own fact: the tokens come from the secrets helpers.
    [Fact]
    public async Task Secrets_HostileRequests_AnswerBelow500WithoutInternals()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Secrets.ResourceName, PlatformServices.Identity.ResourceName);
        var admin = await Secrets.SecretsClient.AliceAsync(Cancel);
        var reader = await Secrets.SecretsClient.ExchangeAsWorkspaceAsync(await Secrets.SecretsClient.AgentAtWorkspaceAsync(
            DemoDirectory.ContosoAgentClientId, DemoDirectory.Parameters.ContosoAgentSecret, Cancel), $"hostile-{Guid.NewGuid():N}", Cancel);

        var failures = new List<string>();
        var cases = SecretsCases(admin, reader).ToList();
        foreach (var hostile in cases)
        {
            var (status, body) = await SendAsync(hostile.Request!());
            if (status >= 500 || Leak(body) is { } leak)
            {
                failures.Add($"{hostile.Name}: {status} {(status >= 500 ? string.Empty : $"leaks '{Leak(body)}' ")}{Snippet(body)}");
            }
        }

        failures.ShouldBeEmpty($"{failures.Count} of {cases.Count} hostile requests were answered with a 5xx or internals:\n" + string.Join("\n", failures));
    }

    private static IEnumerable<HostileCase> SecretsCases(string admin, string reader)
    {
        var secrets = PlatformServices.Secrets.LocalUrl;
        var partner = DemoDirectory.PartnerSecretName;
        const string Nul = "%00";
        const string LoneSurrogate = "%ED%A0%80";
        var longText = new string('a', 10_000);
        var deepJson = new string('[', 100_000) + new string(']', 100_000);
        foreach (var (label, body) in new (string, string)[]
        {
            ("deep nesting", deepJson),
            ("NUL and lone surrogates in strings", "{\"name\":\"a\\u0000\",\"value\":\"\\ud800\",\"allowedServers\":[\"\\u0000\"],\"allowedTools\":[\"\\udfff\"]}"),
            ("wrong types", "{\"name\":1,\"value\":{},\"allowedServers\":\"tools-workspace\",\"allowedTools\":[1,null,true]}"),
            ("huge numbers", "{\"name\":1e999999,\"value\":" + new string('9', 5000) + "}"),
            ("null", "null"),
            ("control characters in name", "{\"name\":\"a\\nb\\t\",\"value\":\"v\",\"allowedServers\":[\"tools-workspace\"],\"allowedTools\":[\"t\"]}"),
            ("10,000-character fields", $"{{\"name\":\"{longText}\",\"value\":\"{longText}\",\"allowedServers\":[\"{longText}\"],\"allowedTools\":[\"{longText}\"]}}"),
            ("70,000-character value", $"{{\"name\":\"n\",\"value\":\"{new string('v', 70_000)}\",\"allowedServers\":[\"s\"],\"allowedTools\":[\"t\"]}}"),
            ("2,000 allowed tools", "{\"name\":\"n\",\"value\":\"v\",\"allowedServers\":[\"s\"],\"allowedTools\":[" + string.Join(",", Enumerable.Repeat("\"t\"", 2000)) + "]}"),
            ("duplicate properties", "{\"name\":\"a\",\"name\":\"b\",\"value\":\"v\"}"),
            ("truncated", "{\"name\":\"a\",\"val"),
        })
        {
            yield return new($"secrets: create {label}", () => Post(secrets, "/v1/secrets", Utf8(body), "application/json", admin));
            // A name nobody has: a body that happens to be valid must not rotate the seeded secret.
            yield return new($"secrets: rotate {label}", () => Post(secrets, "/v1/secrets/hostile-no-such-secret/rotate", Utf8(body), "application/json", admin));
            yield return new($"secrets: read {label}", () => Post(secrets, $"/v1/secrets/{partner}/read", Utf8(body), "application/json", reader));
        }

        yield return new("secrets: create garbage bytes", () => Post(secrets, "/v1/secrets", Bytes([0xFF, 0x00, 0x7B]), "application/json", admin));
        yield return new("secrets: create oversized body", () => Post(secrets, "/v1/secrets", new ByteArrayContent(new byte[2 * 1024 * 1024]), "application/json", admin));
        yield return new("secrets: create wrong content type", () => Post(secrets, "/v1/secrets", Utf8("name=a"), "application/x-www-form-urlencoded", admin));
        yield return new("secrets: read oversized body", () => Post(secrets, $"/v1/secrets/{partner}/read", Utf8($"{{\"tool\":\"{longText}\"}}"), "application/json", reader));
        yield return new("secrets: read with a user token", () => Post(secrets, $"/v1/secrets/{partner}/read", Utf8("{\"tool\":\"call_connection\"}"), "application/json", admin));
        yield return new("secrets: read unauthenticated", () => Post(secrets, $"/v1/secrets/{partner}/read", Utf8("{\"tool\":\"call_connection\"}"), "application/json"));
        yield return new("secrets: read with a bearer that is garbage", () => Post(secrets, $"/v1/secrets/{partner}/read", Utf8("{}"), "application/json", "\u00ff.%00." + longText));
        foreach (var name in new[] { Nul, $"a{Nul}b", LoneSurrogate, "%FF%FE", longText, "UPPER", "..", "a%2Fb", "%20" })
        {
            yield return new($"secrets: get {name[..Math.Min(name.Length, 20)]}", () => Get(secrets, $"/v1/secrets/{name}", admin));
            yield return new($"secrets: delete {name[..Math.Min(name.Length, 20)]}", () => new HttpRequestMessage(HttpMethod.Delete, new Uri(secrets, $"/v1/secrets/{name}"))
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", admin) },
            });
            yield return new($"secrets: read {name[..Math.Min(name.Length, 20)]}", () => Post(secrets, $"/v1/secrets/{name}/read", Utf8("{\"tool\":\"call_connection\"}"), "application/json", reader));
        }

        yield return new("secrets: list with odd query", () => Get(secrets, $"/v1/secrets?tenant={Nul}&x={LoneSurrogate}", admin));
    }

    [Fact]
    public async Task Identity_SignInFormWithNul_IsRefusedWithAProblemCode()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName);
        var login = await LoginForm.GetAsync(Cancel);
        using var response = await s_http.SendAsync(login.Post("email=alice%00%40contoso.example&password=x"), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        body.ShouldContain("\"code\":\"request.invalid_text\"");
    }

    [Theory]
    [InlineData("grant_type=client_credentials&client_id=contoso%00agent")]
    [InlineData("grant_type=client_credentials&client_id=contoso-agent&x=\u0001")]
    public async Task Identity_TokenEndpointWithControlCharacters_AnswersAnOAuthError(string form)
    {
        await platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName);
        using var content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await s_http.PostAsync(new Uri(PlatformServices.Identity.LocalUrl, "/connect/token"), content, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        response.Headers.CacheControl?.NoStore.ShouldBe(true);
        using var error = System.Text.Json.JsonDocument.Parse(body);
        error.RootElement.GetProperty("error").GetString().ShouldBe("invalid_request", body);
        error.RootElement.GetProperty("error_description").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task CollectorTenant_UnhandledPathsAndBareStatuses_AnswerProblemsWithCodeAndTraceId()
    {
        await platform.WaitForHealthyAsync(PlatformServices.CollectorTenant.ResourceName);
        using var response = await s_http.GetAsync(new Uri(PlatformServices.CollectorTenant.LocalUrl, "/v1/records"), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        body.ShouldContain("\"code\":\"request.unauthorized\"");
        body.ShouldContain("\"traceId\":");
    }

    private static IEnumerable<HostileCase> Cases(Tokens tokens, LoginForm login)
    {
        var longText = new string('a', 10_000);
        const string Nul = "%00";
        const string LoneSurrogate = "%ED%A0%80";
        const string InvalidUtf8 = "%FF%FE";
        var deepJson = new string('[', 100_000) + new string(']', 100_000);

        // Shared rows: every service, whatever its endpoints.
        foreach (var service in s_services)
        {
            var name = service.ResourceName;
            var url = service.LocalUrl;
            yield return new($"{name}: malformed request line", Raw: (service.LocalPort, [.. "GET /\u0001 \xff HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray()]));
            yield return new($"{name}: invalid UTF-8 bytes in the path", Raw: (service.LocalPort, [.. "GET /health/"u8, 0xFF, 0xC0, 0x80, .. " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8]));
            yield return new($"{name}: bare LF and no Host", Raw: (service.LocalPort, [.. "POST /health HTTP/1.1\nContent-Length: abc\n\n"u8]));
            yield return new($"{name}: 64 KB header", () => Get(url, "/health", headers: ("X-Big", new string('x', 64 * 1024))));
            yield return new($"{name}: 200 headers", () => Get(url, "/health", headers: [.. Enumerable.Range(0, 200).Select(i => ($"X-H{i}", "v"))]));
            yield return new($"{name}: NUL in query", () => Get(url, $"/health?x={Nul}&{Nul}=y"));
            yield return new($"{name}: invalid UTF-8 and lone surrogate in query", () => Get(url, $"/health?x={InvalidUtf8}&y={LoneSurrogate}"));
            yield return new($"{name}: unknown path with NUL", () => Get(url, $"/nope{Nul}/{LoneSurrogate}"));
            yield return new($"{name}: garbage form to /", () => Post(url, "/", Bytes([0xFF, 0x00, 0x25, 0x25]), "application/x-www-form-urlencoded"));
            yield return new($"{name}: huge chunked garbage", () => Post(url, "/", new ByteArrayContent(new byte[2 * 1024 * 1024]), "application/json"));
        }

        // identity: the OAuth endpoints (OAuth errors), discovery and the sign-in form.
        var identity = PlatformServices.Identity.LocalUrl;
        foreach (var form in new[]
        {
            $"grant_type=client_credentials&client_id={Nul}&client_secret=x",
            $"grant_type=client_credentials&client_id=agent{Nul}x&client_secret=x",
            $"grant_type=client_credentials&client_id={LoneSurrogate}&client_secret=x",
            $"grant_type=client_credentials&client_id={InvalidUtf8}&client_secret=x",
            $"grant_type=client_credentials&client_id={longText}&client_secret={longText}",
            "grant_type=client_credentials&grant_type=password&client_id=a&client_id=b",
            $"grant_type={Nul}",
            $"grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token={Nul}&subject_token_type=urn:ietf:params:oauth:token-type:access_token",
            $"grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token={new string('x', 70_000)}",
            "grant_type=authorization_code&code=%FF&redirect_uri=%00&code_verifier=" + longText,
            string.Join('&', Enumerable.Range(0, 2000).Select(i => $"f{i}=v")),
            $"{new string('k', 5000)}=v",
            "%%%%&&&==",
            string.Empty,
        })
        {
            yield return new($"identity: /connect/token form '{Shorten(form)}'", () => Post(identity, "/connect/token", Utf8(form), "application/x-www-form-urlencoded"));
        }

        yield return new("identity: /connect/token raw invalid UTF-8 form", () => Post(identity, "/connect/token", Bytes([.. "grant_type=client_credentials&client_id="u8, 0xFF, 0xFE, 0xED, 0xA0, 0x80]), "application/x-www-form-urlencoded"));
        yield return new("identity: /connect/token JSON", () => Post(identity, "/connect/token", Utf8("{\"grant_type\":\"client_credentials\"}"), "application/json"));
        yield return new("identity: /connect/token basic auth with NUL", () =>
        {
            var request = Post(identity, "/connect/token", Utf8("grant_type=client_credentials"), "application/x-www-form-urlencoded");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String([0x00, 0xFF, 0x3A, 0xED, 0xA0, 0x80]));
            return request;
        });
        yield return new("identity: /connect/token basic auth not base64", () =>
        {
            var request = Post(identity, "/connect/token", Utf8("grant_type=client_credentials"), "application/x-www-form-urlencoded");
            request.Headers.TryAddWithoutValidation("Authorization", "Basic %%%");
            return request;
        });
        foreach (var query in new[]
        {
            $"client_id={Nul}&response_type=code",
            $"client_id={DemoDirectory.McpCliClientId}&response_type=code&redirect_uri={Nul}&scope={LoneSurrogate}",
            $"client_id={LoneSurrogate}&client_id=b&response_type=code&response_type=token",
            $"client_id={longText}",
            $"request={InvalidUtf8}",
        })
        {
            yield return new($"identity: /connect/authorize?{Shorten(query)}", () => Get(identity, "/connect/authorize?" + query));
        }

        yield return new("identity: discovery with odd query", () => Get(identity, $"/.well-known/openid-configuration?{Nul}={LoneSurrogate}&x={longText}&x=2"));
        yield return new("identity: jwks with odd query", () => Get(identity, $"/.well-known/jwks?{InvalidUtf8}"));
        yield return new("identity: login page returnUrl NUL", () => Get(identity, $"/account/login?returnUrl={Nul}{LoneSurrogate}"));
        yield return new("identity: login page returnUrl twice", () => Get(identity, $"/account/login?returnUrl=/a&returnUrl=/b"));
        foreach (var form in new[]
        {
            $"email=alice{Nul}@contoso.example&password=x",
            $"email={LoneSurrogate}&password={LoneSurrogate}",
            $"email={InvalidUtf8}&password={InvalidUtf8}",
            $"email={longText}&password={longText}",
            $"email={new string('a', 70_000)}&password=x",
            "email=a&email=b&password=x&password=y",
            "email=&password=",
        })
        {
            yield return new($"identity: /account/login form '{Shorten(form)}'", () => login.Post(form));
        }

        yield return new("identity: /account/login without antiforgery", () => Post(identity, "/account/login", Utf8($"email={Nul}"), "application/x-www-form-urlencoded"));
        yield return new("identity: /account/login multipart garbage", () => Post(identity, "/account/login", Bytes([.. "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n"u8, 0x00, 0xFF]), "multipart/form-data; boundary=x"));
        yield return new("identity: /account/logout garbage", () => Post(identity, "/account/logout", Bytes([0xFF, 0x00]), "application/x-www-form-urlencoded"));

        // tools-knowledge: the MCP endpoint, authenticated so the body is read.
        var knowledge = PlatformServices.ToolsKnowledge.LocalUrl;
        var mcp = McpConventions.Path;
        foreach (var (label, body) in new (string, HttpContent)[]
        {
            ("garbage", Bytes([0xFF, 0x00, 0x01, 0x7B])),
            ("invalid UTF-8 in a string", Bytes([.. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"x\":\""u8, 0xFF, 0xFE, .. "\"}}"u8])),
            ("lone surrogate escape", Utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\\ud800\"}}")),
            ("deep nesting", Utf8(deepJson)),
            ("deep nesting in params", Utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + deepJson + "}")),
            ("huge number id", Utf8("{\"jsonrpc\":\"2.0\",\"id\":1e999999,\"method\":\"tools/list\"}")),
            ("huge integer id", Utf8("{\"jsonrpc\":\"2.0\",\"id\":" + new string('9', 5000) + ",\"method\":\"tools/list\"}")),
            ("wrong types", Utf8("{\"jsonrpc\":2,\"id\":{},\"method\":[],\"params\":\"x\"}")),
            ("tools/call with wrong types", Utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":42,\"arguments\":[]}}")),
            ("NUL in method", Utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/\\u0000call\"}")),
            ("duplicate keys", Utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"tools/list\",\"method\":\"x\"}")),
            ("empty", Utf8(string.Empty)),
            ("null", Utf8("null")),
            ("batch of garbage", Utf8("[1,2,3]")),
        })
        {
            yield return new($"tools-knowledge: /mcp {label}", () => Mcp(knowledge, mcp, body, tokens.Knowledge));
        }

        yield return new("tools-knowledge: /mcp oversized body", () => Mcp(knowledge, mcp, new ByteArrayContent(new byte[65 * 1024 * 1024]), tokens.Knowledge));
        yield return new("tools-knowledge: /mcp unauthenticated garbage", () => Mcp(knowledge, mcp, Bytes([0xFF, 0x00]), bearer: null));
        yield return new("tools-knowledge: /mcp bearer garbage", () => Mcp(knowledge, mcp, Utf8("{}"), bearer: "\u00ff.%00." + longText));
        yield return new("tools-knowledge: /mcp NUL in query", () => Mcp(knowledge, mcp + $"?x={Nul}", Utf8("{}"), tokens.Knowledge));
        yield return new("tools-knowledge: export with odd query", () => Get(knowledge, $"/v1/knowledge/export?tenant={Nul}&x={LoneSurrogate}", tokens.Knowledge));

        // quota: leases (no seeded client may admit: 401/403 before the body) and usage.
        var quota = PlatformServices.Quota.LocalUrl;
        yield return new("quota: /v1/leases garbage unauthenticated", () => Post(quota, "/v1/leases", Bytes([0xFF, 0x00]), "application/json"));
        yield return new("quota: /v1/leases garbage as a reader", () => Post(quota, "/v1/leases", Utf8(deepJson), "application/json", tokens.QuotaReader));
        foreach (var query in new[] { $"tenant={Nul}", $"tenant={LoneSurrogate}", $"tenant={longText}", $"tenant={InvalidUtf8}", "tenant=a&tenant=b", $"window={Nul}&from=x&to=y" })
        {
            yield return new($"quota: /v1/usage?{Shorten(query)}", () => Get(quota, "/v1/usage?" + query, tokens.QuotaReader));
        }

        yield return new("quota: admin limits with NUL tenant", () => Get(quota, $"/v1/admin/tenants/{Nul}{LoneSurrogate}/limits", tokens.QuotaReader));

        // collector-platform: OTLP/HTTP endpoints (authentication is another issue's part).
        var collector = PlatformServices.CollectorPlatform.LocalUrl;
        foreach (var signal in new[] { "/v1/traces", "/v1/logs", "/v1/metrics" })
        {
            yield return new($"collector-platform: {signal} garbage protobuf", () => Post(collector, signal, Bytes([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]), "application/x-protobuf"));
            yield return new($"collector-platform: {signal} truncated protobuf", () => Post(collector, signal, Bytes([0x0A, 0x05, 0x0A]), "application/x-protobuf"));
            yield return new($"collector-platform: {signal} invalid UTF-8 string field", () => Post(collector, signal, Bytes([0x0A, 0x06, 0x0A, 0x04, 0x0A, 0x02, 0xFF, 0xFE]), "application/x-protobuf"));
            yield return new($"collector-platform: {signal} garbage JSON", () => Post(collector, signal, Utf8("{\"resourceSpans\":[" + deepJson), "application/json"));
            yield return new($"collector-platform: {signal} wrong content type", () => Post(collector, signal, Bytes([0xFF]), "text/plain"));
            yield return new($"collector-platform: {signal} gzip that is not", () =>
            {
                var request = Post(collector, signal, Bytes([0x1F, 0x8B, 0xFF, 0x00]), "application/x-protobuf");
                request.Content!.Headers.ContentEncoding.Add("gzip");
                return request;
            });
        }

        yield return new("collector-platform: /v1/received with odd query", () => Get(collector, $"/v1/received?service={Nul}&limit={longText}"));

        // collector-tenant: reads (a tenant admin) and ingest (a server's audit:write token).
        var audit = PlatformServices.CollectorTenant.LocalUrl;
        foreach (var query in new[]
        {
            $"invocation={Nul}", $"invocation=x{Nul}y", $"invocation={LoneSurrogate}", $"invocation={InvalidUtf8}", $"invocation={longText}",
            $"principal={Nul}&tool={Nul}&outcome={Nul}&kind={Nul}", "limit=abc", "limit=99999999999999999999", "limit=-1",
            $"from={Nul}&to=garbage", "cursor=%FF%00", $"cursor={longText}", "tenant=a&tenant=b", "invocation=a&invocation=b",
        })
        {
            yield return new($"collector-tenant: /v1/records?{Shorten(query)}", () => Get(audit, "/v1/records?" + query, tokens.AuditReader));
        }

        foreach (var (label, body) in new (string, HttpContent)[]
        {
            ("garbage", Bytes([0xFF, 0x00, 0x7B])),
            ("deep nesting", Utf8("{\"records\":" + deepJson + "}")),
            ("NUL in strings", Utf8("{\"records\":[{\"tenantId\":\"contoso\\u0000\",\"invocationId\":\"\\u0000\",\"tool\":\"\\ud800\"}]}")),
            ("huge numbers", Utf8("{\"records\":[{\"durationMs\":1e999999,\"usage\":" + new string('9', 5000) + "}]}")),
            ("wrong types", Utf8("{\"records\":{\"a\":1}}")),
            ("null", Utf8("null")),
        })
        {
            yield return new($"collector-tenant: ingest {label}", () => Post(audit, "/v1/records", body, "application/json", tokens.AuditWriter));
        }

        yield return new("collector-tenant: grant with NUL id", () => Get(audit, $"/v1/grants/{Nul}{LoneSurrogate}", tokens.AuditReader));
        yield return new("collector-tenant: grant request garbage", () => Post(audit, "/v1/grants", Utf8(deepJson), "application/json", tokens.AuditReader));

        // downstream: only exchanged tokens get in; the body never reaches it otherwise.
        var downstream = PlatformServices.Downstream.LocalUrl;
        yield return new("downstream: /api/echo garbage", () => Post(downstream, "/api/echo", Bytes([0xFF, 0x00]), "application/json"));
        yield return new("downstream: /api/echo with a wrong-audience token", () => Post(downstream, "/api/echo", Utf8(deepJson), "application/json", tokens.Knowledge));

        // tools-workspace: the MCP endpoint (tools with hostile arguments) and the connections API, authenticated.
        var workspace = PlatformServices.ToolsWorkspace.LocalUrl;
        static string Call(string arguments) => "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"call_connection\",\"arguments\":" + arguments + "}}";
        foreach (var (label, body) in new (string, HttpContent)[]
        {
            ("garbage", Bytes([0xFF, 0x00, 0x01, 0x7B])),
            ("invalid UTF-8 in a string", Bytes([.. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"x\":\""u8, 0xFF, 0xFE, .. "\"}}"u8])),
            ("lone surrogate in a path", Utf8(Call("{\"connection\":\"partner\",\"path\":\"/v1/\\ud800\"}"))),
            ("deep nesting", Utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + deepJson + "}")),
            ("NUL and CRLF in path and name", Utf8(Call("{\"connection\":\"part\\u0000ner\",\"path\":\"/v1/\\r\\nHost: evil\"}"))),
            ("traversal path", Utf8(Call("{\"connection\":\"partner\",\"path\":\"/v1/%2e%2e/%2e%2e/admin\"}"))),
            ("wrong argument types", Utf8(Call("{\"connection\":42,\"path\":[],\"method\":{},\"body\":true}"))),
            ("huge body argument", Utf8(Call("{\"connection\":\"partner\",\"path\":\"/v1/echo\",\"method\":\"POST\",\"body\":\"" + new string('x', 5_000_000) + "\"}"))),
            ("long connection name", Utf8(Call("{\"connection\":\"" + longText + "\",\"path\":\"" + longText + "\"}"))),
        })
        {
            yield return new($"tools-workspace: /mcp {label}", () => Mcp(workspace, mcp, body, tokens.Workspace));
        }

        yield return new("tools-workspace: /mcp oversized body", () => Mcp(workspace, mcp, new ByteArrayContent(new byte[65 * 1024 * 1024]), tokens.Workspace));
        yield return new("tools-workspace: /mcp unauthenticated garbage", () => Mcp(workspace, mcp, Bytes([0xFF, 0x00]), bearer: null));
        foreach (var (label, body) in new (string, HttpContent)[]
        {
            ("garbage", Bytes([0xFF, 0x00, 0x7B])),
            ("deep nesting", Utf8(deepJson)),
            ("NUL in strings", Utf8("{\"baseUrl\":\"http://localhost:5710\\u0000\",\"secretName\":\"\\u0000\",\"credentialHeader\":\"X\\r\\nY\",\"allowedPathPrefixes\":[\"/v1/\\u0000\"],\"allowedMethods\":[\"\\ud800\"]}")),
            ("wrong types", Utf8("{\"baseUrl\":1,\"secretName\":[],\"credentialHeader\":{},\"allowedPathPrefixes\":\"x\",\"allowedMethods\":1e999999}")),
            ("unknown member", Utf8("{\"tenant\":\"fabrikam\",\"baseUrl\":\"http://localhost:5710\"}")),
            ("huge lists", Utf8("{\"baseUrl\":\"http://localhost:5710\",\"secretName\":\"a\",\"credentialHeader\":\"X-Api-Key\",\"allowedPathPrefixes\":[" + string.Join(',', Enumerable.Repeat("\"/v1/\"", 5000)) + "],\"allowedMethods\":[\"GET\"]}")),
            ("over the body limit", Utf8("{\"baseUrl\":\"" + new string('a', 100_000) + "\"}")),
            ("null", Utf8("null")),
        })
        {
            yield return new($"tools-workspace: PUT /v1/connections {label}", () =>
            {
                var request = Post(workspace, "/v1/connections/hostile", body, "application/json", tokens.WorkspaceAdmin);
                request.Method = HttpMethod.Put;
                return request;
            });
        }

        foreach (var name in new[] { Nul, LoneSurrogate, InvalidUtf8, longText, "a%2F..%2F..", "%2e%2e" })
        {
            yield return new($"tools-workspace: DELETE /v1/connections/{Shorten(name)}", () =>
            {
                var request = Get(workspace, "/v1/connections/" + name, tokens.WorkspaceAdmin);
                request.Method = HttpMethod.Delete;
                return request;
            });
        }

        yield return new("tools-workspace: GET /v1/connections with odd query", () => Get(workspace, $"/v1/connections?tenant={Nul}&x={LoneSurrogate}", tokens.WorkspaceAdmin));
        yield return new("tools-workspace: GET /v1/connections as an agent", () => Get(workspace, "/v1/connections", tokens.Workspace));

        // partner: API keys in odd shapes, and its request log's query.
        var partner = PlatformServices.Partner.LocalUrl;
        foreach (var (label, key) in new[] { ("latin-1 key", "\u00ff\u00fe"), ("64 KB key", new string('k', 60_000)), ("empty key", string.Empty) })
        {
            yield return new($"partner: /v1/whoami {label}", () => Get(partner, "/v1/whoami", headers: ("X-Api-Key", key)));
        }

        yield return new("partner: /v1/whoami two keys", () => Get(partner, "/v1/whoami", headers: [("X-Api-Key", "a"), ("X-Api-Key", "b")]));
        foreach (var query in new[] { "after=abc", "after=99999999999999999999", $"after={Nul}", "after=-5", "after=1&after=2" })
        {
            yield return new($"partner: /v1/requests?{query}", () => Get(partner, "/v1/requests?" + query));
        }

        yield return new("partner: /v1/echo over the limit with a valid key", () =>
        {
            var request = Post(partner, "/v1/echo", new ByteArrayContent(new byte[200_000]), "application/octet-stream");
            request.Headers.TryAddWithoutValidation("X-Api-Key", DemoSecrets.Get(DemoDirectory.Parameters.PartnerContosoKey));
            return request;
        });
    }

    // Anything that names the implementation: exception types, stack frames, source paths, CLR types.
    [GeneratedRegex(@"\b[A-Z]\w+(\.\w+)*Exception\b|   at |--- End of|/work/|/home/|\.cs:line|\bSystem\.[A-Z]|\bMicrosoft\.[A-Z]\w+\.|\bNpgsql")]
    private static partial Regex Internals();

    private static string? Leak(string body) => Internals().Match(body) is { Success: true } match ? match.Value : null;

    private static string Snippet(string body) => body.Length <= 300 ? body : body[..300] + "…";

    private static string Shorten(string text) => text.Length <= 80 ? text : $"{text[..60]}…({text.Length} chars)";

    private static ByteArrayContent Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private static ByteArrayContent Bytes(byte[] bytes) => new(bytes);

    private static HttpRequestMessage Get(Uri baseUrl, string pathAndQuery, string? bearer = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, pathAndQuery));
        Authorize(request, bearer);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static HttpRequestMessage Post(Uri baseUrl, string pathAndQuery, HttpContent body, string contentType, string? bearer = null)
    {
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, pathAndQuery)) { Content = body };
        Authorize(request, bearer);
        return request;
    }

    private static HttpRequestMessage Mcp(Uri baseUrl, string pathAndQuery, HttpContent body, string? bearer)
    {
        var request = Post(baseUrl, pathAndQuery, body, "application/json", bearer);
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        return request;
    }

    private static void Authorize(HttpRequestMessage request, string? bearer)
    {
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            try
            {
                using var response = await s_http.SendAsync(request, Cancel);
                return ((int)response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(Cancel)));
            }
            catch (HttpRequestException)
            {
                // The server closed the connection on the request (e.g. mid-upload of an oversized
                // body after answering 413): no answer is no leak and no 5xx.
                return (0, string.Empty);
            }
        }
    }

    private static async Task<(int Status, string Body)> SendRawAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(bytes, timeout.Token);
        client.Client.Shutdown(SocketShutdown.Send);
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, timeout.Token);
        var text = Encoding.UTF8.GetString(answer.ToArray());
        var status = Regex.Match(text, @"^HTTP/1\.[01] (\d{3})") is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (status, text);
    }

    /// <summary>The tokens the cases need to get past authentication to the parsing.</summary>
    private sealed record Tokens(string Knowledge, string QuotaReader, string AuditReader, string AuditWriter, string Workspace, string WorkspaceAdmin)
    {
        public static async Task<Tokens> GetAsync(CancellationToken cancellationToken) => new(
            await PlatformTokens.ContosoAgentAsync(cancellationToken),
            (await IdentityClient.SignInWithPkceAsync(DemoDirectory.ContosoUserName, DemoSecrets.Get(DemoDirectory.Parameters.ContosoUserPassword),
                PlatformServices.Quota.LocalOrigin, cancellationToken, PlatformScopes.QuotaRead)).GetProperty("access_token").GetString()!,
            await AuditClient.AliceAsync(cancellationToken),
            await AuditClient.ServiceTokenAsync(cancellationToken),
            await WorkspaceClient.ContosoAgentAsync(cancellationToken),
            await WorkspaceClient.AliceAsync(cancellationToken));
    }

    /// <summary>The sign-in page's antiforgery cookie and token, so a hostile form reaches the form's own handling.</summary>
    private sealed partial record LoginForm(string Cookie, string FieldName, string Token)
    {
        public static async Task<LoginForm> GetAsync(CancellationToken cancellationToken)
        {
            using var response = await s_http.GetAsync(new Uri(PlatformServices.Identity.LocalUrl, "/account/login"), cancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var cookie = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(header => header.Split(';')[0]));
            var field = HiddenField().Match(await response.Content.ReadAsStringAsync(cancellationToken));
            field.Success.ShouldBeTrue("the sign-in page has its antiforgery field");
            return new LoginForm(cookie, field.Groups[1].Value, WebUtility.HtmlDecode(field.Groups[2].Value));
        }

        public HttpRequestMessage Post(string form)
        {
            var request = HostileInputTests.Post(PlatformServices.Identity.LocalUrl, "/account/login",
                Utf8($"{Uri.EscapeDataString(FieldName)}={Uri.EscapeDataString(Token)}&{form}"), "application/x-www-form-urlencoded");
            request.Headers.TryAddWithoutValidation("Cookie", Cookie);
            return request;
        }

        [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
        private static partial Regex HiddenField();
    }
}
