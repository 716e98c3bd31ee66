using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Secrets;

/// <summary>
/// The tenant admin's API through the running platform: values go in and never come out, another
/// tenant sees nothing, and only a tenant admin with <c>secrets:write</c> gets in.
/// </summary>
public sealed class SecretsApiTests(PlatformFixture platform)
{
    private static readonly string[] s_servers = [DemoDirectory.ToolsWorkspaceClientId];
    private static readonly string[] s_tools = [SecretsClient.AllowedTool];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task ReadyAsync() => platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName, PlatformServices.Secrets.ResourceName);

    private static string Code(JsonElement problem) => problem.GetProperty("code").GetString()!;

    [Fact]
    public async Task Alice_CreatesListsRotatesDeletes_NoResponseCarriesAValue()
    {
        await ReadyAsync();
        var alice = await SecretsClient.AliceAsync(Cancel);
        var name = SecretsClient.NewName("lifecycle");
        var canary = SecretsClient.NewCanary();
        var rotatedCanary = SecretsClient.NewCanary();

        var created = await SecretsClient.CreateAsync(alice, name, canary, Cancel);
        created.GetProperty("name").GetString().ShouldBe(name);
        created.GetProperty("version").GetInt32().ShouldBe(1);
        created.GetProperty("createdBy").GetString().ShouldBe(DemoDirectory.ContosoUserId);
        created.GetProperty("allowedServers").EnumerateArray().Select(s => s.GetString()).ShouldBe([DemoDirectory.ToolsWorkspaceClientId]);
        created.GetProperty("allowedTools").EnumerateArray().Select(s => s.GetString()).ShouldBe([SecretsClient.AllowedTool]);
        created.TryGetProperty("value", out _).ShouldBeFalse();

        var (duplicate, duplicateBody) = await SecretsClient.CallAsync(HttpMethod.Post, "/v1/secrets", alice,
            new { name, value = "another", allowedServers = s_servers, allowedTools = s_tools }, Cancel);
        duplicate.ShouldBe(HttpStatusCode.Conflict, duplicateBody.GetRawText());
        Code(duplicateBody).ShouldBe(SecretErrorCodes.Exists);

        var (listStatus, list) = await SecretsClient.CallAsync(HttpMethod.Get, "/v1/secrets", alice, null, Cancel);
        listStatus.ShouldBe(HttpStatusCode.OK, list.GetRawText());
        list.EnumerateArray().ShouldContain(s => s.GetProperty("name").GetString() == name);
        list.EnumerateArray().Where(s => s.TryGetProperty("value", out var _)).ShouldBeEmpty();

        var (getStatus, got) = await SecretsClient.CallAsync(HttpMethod.Get, $"/v1/secrets/{name}", alice, null, Cancel);
        getStatus.ShouldBe(HttpStatusCode.OK, got.GetRawText());
        got.TryGetProperty("value", out _).ShouldBeFalse();

        var (rotateStatus, rotated) = await SecretsClient.CallAsync(HttpMethod.Post, $"/v1/secrets/{name}/rotate", alice, new { value = rotatedCanary }, Cancel);
        rotateStatus.ShouldBe(HttpStatusCode.OK, rotated.GetRawText());
        rotated.GetProperty("version").GetInt32().ShouldBe(2);
        rotated.GetProperty("rotatedBy").GetString().ShouldBe(DemoDirectory.ContosoUserId);
        rotated.GetProperty("rotatedAt").ValueKind.ShouldBe(JsonValueKind.String);

        foreach (var body in new[] { created, duplicateBody, list, got, rotated })
        {
            body.GetRawText().ShouldNotContain(canary[..30]);
            body.GetRawText().ShouldNotContain(rotatedCanary[..30]);
        }

        var (deleteStatus, _) = await SecretsClient.CallAsync(HttpMethod.Delete, $"/v1/secrets/{name}", alice, null, Cancel);
        deleteStatus.ShouldBe(HttpStatusCode.NoContent);
        var (goneStatus, gone) = await SecretsClient.CallAsync(HttpMethod.Get, $"/v1/secrets/{name}", alice, null, Cancel);
        goneStatus.ShouldBe(HttpStatusCode.NotFound, gone.GetRawText());
        Code(gone).ShouldBe(SecretErrorCodes.NotFound);
        var (rotateGone, rotateGoneBody) = await SecretsClient.CallAsync(HttpMethod.Post, $"/v1/secrets/{name}/rotate", alice, new { value = "x" }, Cancel);
        rotateGone.ShouldBe(HttpStatusCode.NotFound, rotateGoneBody.GetRawText());
    }

    [Fact]
    public async Task Bob_CannotSeeRotateOrDeleteAlicesSecret()
    {
        await ReadyAsync();
        var alice = await SecretsClient.AliceAsync(Cancel);
        var bob = await SecretsClient.BobAsync(Cancel);
        var name = SecretsClient.NewName("contoso-only");
        await SecretsClient.CreateAsync(alice, name, SecretsClient.NewCanary(), Cancel);

        var (listStatus, list) = await SecretsClient.CallAsync(HttpMethod.Get, "/v1/secrets", bob, null, Cancel);
        listStatus.ShouldBe(HttpStatusCode.OK, list.GetRawText());
        list.EnumerateArray().ShouldNotContain(s => s.GetProperty("name").GetString() == name);

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, $"/v1/secrets/{name}", null),
            (HttpMethod.Post, $"/v1/secrets/{name}/rotate", new { value = "bob-was-here" }),
            (HttpMethod.Delete, $"/v1/secrets/{name}", null),
        })
        {
            var (status, problem) = await SecretsClient.CallAsync(method, path, bob, body, Cancel);
            status.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}: {problem.GetRawText()}");
            Code(problem).ShouldBe(SecretErrorCodes.NotFound);
        }

        // Bob may have a secret of the same name: names are per tenant.
        await SecretsClient.CreateAsync(bob, name, SecretsClient.NewCanary(), Cancel);
        var (aliceStatus, alices) = await SecretsClient.CallAsync(HttpMethod.Get, $"/v1/secrets/{name}", alice, null, Cancel);
        aliceStatus.ShouldBe(HttpStatusCode.OK);
        alices.GetProperty("version").GetInt32().ShouldBe(1);
        alices.GetProperty("createdBy").GetString().ShouldBe(DemoDirectory.ContosoUserId);
    }

    [Fact]
    public async Task OperatorAndNonAdmins_AreRefusedWith403()
    {
        await ReadyAsync();
        var operatorToken = await SecretsClient.OperatorAsync(Cancel);
        // identity grants secrets:write to tenant admins only.
        var operatorClaims = Identity.IdentityClient.Claims(operatorToken);
        (operatorClaims.TryGetProperty(PlatformClaims.Scope, out var scope) ? scope.GetString() ?? string.Empty : string.Empty)
            .ShouldNotContain(PlatformScopes.SecretsWrite);

        // Tokens identity would not issue, signed with its key so only the missing property differs:
        // a tenant member with secrets:write, and an agent with secrets:write.
        var member = await SecretsClient.SignedAsync(new JsonObject
        {
            ["sub"] = "contoso-member",
            [PlatformClaims.TenantId] = DemoDirectory.ContosoTenantId,
            [PlatformClaims.PrincipalType] = PrincipalTypes.User,
            [PlatformClaims.Role] = PlatformRoles.TenantMember,
            [PlatformClaims.Scope] = PlatformScopes.SecretsWrite,
        }, Cancel);
        var agent = await SecretsClient.SignedAsync(new JsonObject
        {
            ["sub"] = DemoDirectory.ContosoAgentClientId,
            [PlatformClaims.TenantId] = DemoDirectory.ContosoTenantId,
            [PlatformClaims.PrincipalType] = PrincipalTypes.Agent,
            [PlatformClaims.Scope] = PlatformScopes.SecretsWrite,
        }, Cancel);

        foreach (var (who, token) in new[] { ("operator", operatorToken), ("member", member), ("agent", agent) })
        {
            foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
            {
                (HttpMethod.Get, "/v1/secrets", null),
                (HttpMethod.Get, $"/v1/secrets/{DemoDirectory.PartnerSecretName}", null),
                (HttpMethod.Post, "/v1/secrets", new { name = "x", value = "y", allowedServers = new[] { "tools-workspace" }, allowedTools = new[] { "t" } }),
                (HttpMethod.Post, $"/v1/secrets/{DemoDirectory.PartnerSecretName}/rotate", new { value = "y" }),
                (HttpMethod.Delete, $"/v1/secrets/{DemoDirectory.PartnerSecretName}", null),
            })
            {
                var (status, problem) = await SecretsClient.CallAsync(method, path, token, body, Cancel);
                status.ShouldBe(HttpStatusCode.Forbidden, $"{who} {method} {path}: {problem.GetRawText()}");
                Code(problem).ShouldBe("request.forbidden");
            }
        }

        var (anonymous, anonymousBody) = await SecretsClient.CallAsync(HttpMethod.Get, "/v1/secrets", null, null, Cancel);
        anonymous.ShouldBe(HttpStatusCode.Unauthorized, anonymousBody.GetRawText());
    }

    [Fact]
    public async Task BadInput_IsA4xxProblemWithACode()
    {
        await ReadyAsync();
        var alice = await SecretsClient.AliceAsync(Cancel);
        foreach (var (label, body, code) in new (string, object, string)[]
        {
            ("upper-case name", new { name = "Bad", value = "v", allowedServers = new[] { "tools-workspace" }, allowedTools = new[] { "t" } }, "request.invalid"),
            ("empty value", new { name = "ok-name", value = "", allowedServers = new[] { "tools-workspace" }, allowedTools = new[] { "t" } }, "request.invalid"),
            ("NUL in value", new { name = "ok-name", value = "a\0b", allowedServers = new[] { "tools-workspace" }, allowedTools = new[] { "t" } }, "request.invalid"),
            ("value over 8192 bytes", new { name = "ok-name", value = new string('x', 8193), allowedServers = new[] { "tools-workspace" }, allowedTools = new[] { "t" } }, "request.invalid"),
            ("no servers", new { name = "ok-name", value = "v", allowedServers = Array.Empty<string>(), allowedTools = new[] { "t" } }, "request.invalid"),
            ("tool with a space", new { name = "ok-name", value = "v", allowedServers = new[] { "tools-workspace" }, allowedTools = new[] { "a b" } }, "request.invalid"),
        })
        {
            var (status, problem) = await SecretsClient.CallAsync(HttpMethod.Post, "/v1/secrets", alice, body, Cancel);
            status.ShouldBe(HttpStatusCode.BadRequest, $"{label}: {problem.GetRawText()}");
            Code(problem).ShouldBe(code, label);
        }

        var (badName, badNameBody) = await SecretsClient.CallAsync(HttpMethod.Get, "/v1/secrets/UPPER", alice, null, Cancel);
        badName.ShouldBe(HttpStatusCode.BadRequest, badNameBody.GetRawText());
    }
}
