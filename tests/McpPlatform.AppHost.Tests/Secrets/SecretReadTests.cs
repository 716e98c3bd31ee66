using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.AppHost.Tests.Telemetry;
using McpPlatform.Core;
using Npgsql;

namespace McpPlatform.AppHost.Tests.Secrets;

/// <summary>
/// The read path through the running platform: a value leaves the service only for an exchanged
/// token of the secret's tenant from an allowed server for an allowed tool; every attempt is a
/// secret_read record in the caller's tenant trail and no other; the database holds ciphertext.
/// </summary>
public sealed class SecretReadTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task ReadyAsync() => platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName, PlatformServices.Secrets.ResourceName,
        PlatformServices.CollectorTenant.ResourceName);

    private static string Code(JsonElement problem) => problem.GetProperty("code").GetString()!;

    private static Task<string> ContosoAgentAsync() =>
        SecretsClient.AgentAtWorkspaceAsync(DemoDirectory.ContosoAgentClientId, DemoDirectory.Parameters.ContosoAgentSecret, Cancel);

    [Fact]
    public async Task Read_ExchangedByToolsWorkspace_ReturnsTheValue_OtherToolDenied_BothInContosoTrailOnly()
    {
        await ReadyAsync();
        var alice = await SecretsClient.AliceAsync(Cancel);
        var name = SecretsClient.NewName("read");
        var canary = SecretsClient.NewCanary();
        await SecretsClient.CreateAsync(alice, name, canary, Cancel);
        var invocationId = $"secret-read-{Guid.NewGuid():N}";
        var exchanged = await SecretsClient.ExchangeAsWorkspaceAsync(await ContosoAgentAsync(), invocationId, Cancel);

        // The exchanged token reads, and nothing more.
        var claims = PlatformTokens.Payload(exchanged);
        claims.GetProperty(PlatformClaims.Scope).GetString().ShouldBe(PlatformScopes.SecretsRead);
        claims.GetProperty(PlatformClaims.Audience).GetString().ShouldBe(PlatformServices.Secrets.LocalOrigin);
        claims.GetProperty(PlatformClaims.InvocationId).GetString().ShouldBe(invocationId);

        var (status, body, response) = await SecretsClient.SendAsync(HttpMethod.Post, $"/v1/secrets/{name}/read", exchanged,
            new { tool = SecretsClient.AllowedTool }, Cancel);
        using (response)
        {
            status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
            body.GetProperty("value").GetString().ShouldBe(canary);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        }

        var (deniedStatus, denied) = await SecretsClient.ReadAsync(exchanged, name, "other_tool", Cancel);
        deniedStatus.ShouldBe(HttpStatusCode.Forbidden, denied.GetRawText());
        Code(denied).ShouldBe(SecretErrorCodes.Denied);
        denied.GetRawText().ShouldNotContain(canary[..30]);

        // Alice's own token (secrets:write) never reads a value.
        var (userStatus, userBody) = await SecretsClient.ReadAsync(alice, name, SecretsClient.AllowedTool, Cancel);
        userStatus.ShouldBe(HttpStatusCode.Forbidden, userBody.GetRawText());
        Code(userBody).ShouldBe(SecretErrorCodes.Denied);

        var auditor = await AuditClient.AliceAsync(Cancel);
        var records = await AuditClient.WaitForRecordsAsync(auditor, $"invocation={invocationId}&kind={AuditKinds.SecretRead}", 2, Cancel);
        records.Length.ShouldBe(2);
        records.ShouldAllBe(r => r.GetProperty("tenantId").GetString() == DemoDirectory.ContosoTenantId);
        records.ShouldAllBe(r => r.GetProperty("server").GetString() == DemoDirectory.SecretsClientId);
        records.ShouldAllBe(r => r.GetProperty("principalId").GetString() == DemoDirectory.ContosoAgentClientId);
        records.ShouldAllBe(r => r.GetProperty("detail").GetProperty("secret").GetString() == name);
        records.ShouldAllBe(r => r.GetProperty("detail").GetProperty("actor").GetString() == DemoDirectory.ToolsWorkspaceClientId);
        var granted = records.Where(r => r.GetProperty("outcome").GetString() == AuditOutcomes.Success).ShouldHaveSingleItem();
        granted.GetProperty("tool").GetString().ShouldBe(SecretsClient.AllowedTool);
        var refused = records.Where(r => r.GetProperty("outcome").GetString() == AuditOutcomes.Denied).ShouldHaveSingleItem();
        refused.GetProperty("tool").GetString().ShouldBe("other_tool");
        refused.GetProperty("reasonCode").GetString().ShouldBe(SecretErrorCodes.Denied);
        foreach (var record in records)
        {
            record.GetRawText().ShouldNotContain(canary[..30]);
        }

        // The write is attributable too: who created it, in the same trail.
        var changes = await AuditClient.WaitForRecordsAsync(auditor, $"kind={AuditKinds.SecretChange}&principal={DemoDirectory.ContosoUserId}&limit=500", 1, Cancel);
        changes.ShouldContain(r => r.GetProperty("detail").GetProperty("secret").GetString() == name
            && r.GetProperty("detail").GetProperty("action").GetString() == "created");

        await ShouldBeInNoTrailOfAsync(await AuditClient.BobAsync(Cancel), invocationId);
    }

    [Fact]
    public async Task Read_FromToolsKnowledge_ExchangeRefusedByIdentity_AndASignedTokenDeniedByTheSecret()
    {
        await ReadyAsync();
        var alice = await SecretsClient.AliceAsync(Cancel);
        var name = SecretsClient.NewName("knowledge");
        await SecretsClient.CreateAsync(alice, name, SecretsClient.NewCanary(), Cancel);
        var invocationId = $"secret-knowledge-{Guid.NewGuid():N}";

        // identity does not let tools-knowledge exchange for secrets at all.
        var (exchangeStatus, exchangeBody) = await PlatformTokens.ExchangeAsToolsKnowledgeAsync(
            await PlatformTokens.ContosoAgentAsync(Cancel), PlatformServices.Secrets.LocalOrigin, invocationId, Cancel);
        ((int)exchangeStatus).ShouldBeInRange(400, 403, exchangeBody.GetRawText());
        exchangeBody.TryGetProperty("access_token", out _).ShouldBeFalse();

        // Even a read token naming tools-knowledge as the actor is refused by the secret's allow-list.
        var signed = await SecretsClient.SignedAsync(new JsonObject
        {
            ["sub"] = DemoDirectory.ContosoAgentClientId,
            [PlatformClaims.TenantId] = DemoDirectory.ContosoTenantId,
            [PlatformClaims.PrincipalType] = PrincipalTypes.Agent,
            [PlatformClaims.Scope] = PlatformScopes.SecretsRead,
            [PlatformClaims.InvocationId] = invocationId,
            [PlatformClaims.Actor] = JsonSerializer.Serialize(new { sub = DemoDirectory.ToolsKnowledgeClientId }),
        }, Cancel);
        var (status, problem) = await SecretsClient.ReadAsync(signed, name, SecretsClient.AllowedTool, Cancel);
        status.ShouldBe(HttpStatusCode.Forbidden, problem.GetRawText());
        Code(problem).ShouldBe(SecretErrorCodes.Denied);

        var record = (await AuditClient.WaitForRecordsAsync(await AuditClient.AliceAsync(Cancel),
            $"invocation={invocationId}&kind={AuditKinds.SecretRead}", 1, Cancel)).ShouldHaveSingleItem();
        record.GetProperty("outcome").GetString().ShouldBe(AuditOutcomes.Denied);
        record.GetProperty("detail").GetProperty("actor").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
    }

    [Fact]
    public async Task Read_FabrikamSubjectForContosoName_IsNotFound_InFabrikamTrailOnly()
    {
        await ReadyAsync();
        var alice = await SecretsClient.AliceAsync(Cancel);
        var name = SecretsClient.NewName("cross-tenant");
        await SecretsClient.CreateAsync(alice, name, SecretsClient.NewCanary(), Cancel);
        var invocationId = $"secret-cross-{Guid.NewGuid():N}";
        var fabrikamAgent = await SecretsClient.AgentAtWorkspaceAsync(DemoDirectory.FabrikamAgentClientId, DemoDirectory.Parameters.FabrikamAgentSecret, Cancel);
        var exchanged = await SecretsClient.ExchangeAsWorkspaceAsync(fabrikamAgent, invocationId, Cancel);

        var (status, problem) = await SecretsClient.ReadAsync(exchanged, name, SecretsClient.AllowedTool, Cancel);
        status.ShouldBe(HttpStatusCode.NotFound, problem.GetRawText());
        Code(problem).ShouldBe(SecretErrorCodes.NotFound);
        // Indistinguishable from a name nobody has.
        var (noneStatus, none) = await SecretsClient.ReadAsync(exchanged, SecretsClient.NewName("nobody-has"), SecretsClient.AllowedTool, Cancel);
        noneStatus.ShouldBe(status);
        none.GetProperty("detail").GetString().ShouldBe(problem.GetProperty("detail").GetString());

        var record = (await AuditClient.WaitForRecordsAsync(await AuditClient.BobAsync(Cancel),
            $"invocation={invocationId}&kind={AuditKinds.SecretRead}", 2, Cancel))
            .First(r => r.GetProperty("detail").GetProperty("secret").GetString() == name);
        record.GetProperty("tenantId").GetString().ShouldBe(DemoDirectory.FabrikamTenantId);
        record.GetProperty("reasonCode").GetString().ShouldBe(SecretErrorCodes.NotFound);
        await ShouldBeInNoTrailOfAsync(await AuditClient.AliceAsync(Cancel), invocationId);
    }

    [Fact]
    public async Task DevelopmentSeed_EachTenantsPartnerKey_ReadableByToolsWorkspaceForItsTools()
    {
        await ReadyAsync();
        var (status, seeded) = await SecretsClient.CallAsync(HttpMethod.Get, $"/v1/secrets/{DemoDirectory.PartnerSecretName}",
            await SecretsClient.AliceAsync(Cancel), null, Cancel);
        status.ShouldBe(HttpStatusCode.OK, seeded.GetRawText());
        seeded.GetProperty("allowedServers").EnumerateArray().Select(s => s.GetString()).ShouldBe([DemoDirectory.ToolsWorkspaceClientId]);
        seeded.GetProperty("allowedTools").EnumerateArray().Select(s => s.GetString()).ShouldBe([SecretsClient.AllowedTool, "run_script"]);

        foreach (var (agent, secret, key) in new[]
        {
            (DemoDirectory.ContosoAgentClientId, DemoDirectory.Parameters.ContosoAgentSecret, DemoDirectory.Parameters.PartnerContosoKey),
            (DemoDirectory.FabrikamAgentClientId, DemoDirectory.Parameters.FabrikamAgentSecret, DemoDirectory.Parameters.PartnerFabrikamKey),
        })
        {
            var exchanged = await SecretsClient.ExchangeAsWorkspaceAsync(await SecretsClient.AgentAtWorkspaceAsync(agent, secret, Cancel),
                $"secret-seed-{Guid.NewGuid():N}", Cancel);
            var (readStatus, read) = await SecretsClient.ReadAsync(exchanged, DemoDirectory.PartnerSecretName, SecretsClient.AllowedTool, Cancel);
            readStatus.ShouldBe(HttpStatusCode.OK, read.GetRawText());
            read.GetProperty("value").GetString().ShouldBe(DemoSecrets.Get(key));
        }
    }

    [Fact]
    public async Task Database_HoldsOnlyCiphertext_RotationLeavesNoOldValue_AndRlsBindsTheAppRole()
    {
        await ReadyAsync();
        var alice = await SecretsClient.AliceAsync(Cancel);
        var name = SecretsClient.NewName("at-rest");
        var first = SecretsClient.NewCanary();
        var second = SecretsClient.NewCanary();
        await SecretsClient.CreateAsync(alice, name, first, Cancel);
        var before = await RowBytesAsync(name);
        var (rotateStatus, _) = await SecretsClient.CallAsync(HttpMethod.Post, $"/v1/secrets/{name}/rotate", alice, new { value = second }, Cancel);
        rotateStatus.ShouldBe(HttpStatusCode.OK);
        var after = await RowBytesAsync(name);

        // The server admin (a superuser: RLS does not bind it) sees every table whole: no value in
        // any form, as UTF-8 bytes or as text; the rotated row's ciphertext is new and the old one gone.
        var dump = await DatabaseDumpAsync();
        foreach (var canary in new[] { first, second })
        {
            Contains(dump, Encoding.UTF8.GetBytes(canary)).ShouldBeFalse(canary);
            Contains(dump, Encoding.UTF8.GetBytes(canary[..24])).ShouldBeFalse(canary);
        }

        after.Ciphertext.ShouldNotBe(before.Ciphertext);
        after.Nonce.ShouldNotBe(before.Nonce);
        Contains(dump, before.Ciphertext).ShouldBeFalse("the pre-rotation ciphertext is still in secrets.secrets");
        after.Rows.ShouldBe(1);

        // The app role with no tenant set sees no row; with contoso set, no fabrikam row.
        await using var app = await AppRoleSessionAsync();
        await using (var none = new NpgsqlCommand("SELECT count(*) FROM secrets.secrets", app))
        {
            ((long)(await none.ExecuteScalarAsync(Cancel))!).ShouldBe(0);
        }

        await using var transaction = await app.BeginTransactionAsync(Cancel);
        await using (var set = new NpgsqlCommand($"SELECT set_config('{SecretsDatabaseRoles.TenantSetting}', $1, true)", app, transaction))
        {
            set.Parameters.Add(new() { Value = DemoDirectory.ContosoTenantId });
            await set.ExecuteNonQueryAsync(Cancel);
        }

        await using var tenants = new NpgsqlCommand("SELECT DISTINCT tenant FROM secrets.secrets", app, transaction);
        await using var reader = await tenants.ExecuteReaderAsync(Cancel);
        var seen = new List<string>();
        while (await reader.ReadAsync(Cancel))
        {
            seen.Add(reader.GetString(0));
        }

        seen.ShouldBe([DemoDirectory.ContosoTenantId]);
    }

    private static async Task ShouldBeInNoTrailOfAsync(string otherTenantAuditor, string invocationId)
    {
        var (status, body) = await AuditClient.GetAsync($"/v1/records?invocation={invocationId}", otherTenantAuditor, Cancel);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("records").EnumerateArray().ShouldBeEmpty();
    }

    private async Task<NpgsqlConnection> AdminSessionAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(await platform.ConnectionStringAsync(InfrastructureResources.SecretsDatabase)) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Cancel);
        return connection;
    }

    private async Task<NpgsqlConnection> AppRoleSessionAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(await platform.ConnectionStringAsync(InfrastructureResources.SecretsDatabase))
        {
            Username = SecretsDatabaseRoles.App,
            Password = DemoSecrets.Get(SecretsDatabaseRoles.AppPasswordParameter),
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Cancel);
        return connection;
    }

    private async Task<(byte[] Nonce, byte[] Ciphertext, long Rows)> RowBytesAsync(string name)
    {
        await using var admin = await AdminSessionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT nonce, ciphertext, count(*) OVER () FROM secrets.secrets WHERE tenant = $1 AND name = $2", admin);
        command.Parameters.Add(new() { Value = DemoDirectory.ContosoTenantId });
        command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        (await reader.ReadAsync(Cancel)).ShouldBeTrue();
        return (reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2));
    }

    // Every row of every table in the schema, as text and as raw bytes.
    private async Task<byte[]> DatabaseDumpAsync()
    {
        await using var admin = await AdminSessionAsync();
        using var dump = new MemoryStream();
        foreach (var table in new[] { "secrets.secrets", "secrets.data_keys", "secrets.key_encryption_keys" })
        {
            await using var command = new NpgsqlCommand($"SELECT t::text FROM {table} t", admin);
            await using var reader = await command.ExecuteReaderAsync(Cancel);
            while (await reader.ReadAsync(Cancel))
            {
                dump.Write(Encoding.UTF8.GetBytes(reader.GetString(0)));
            }
        }

        await using (var raw = new NpgsqlCommand("SELECT nonce, ciphertext FROM secrets.secrets UNION ALL SELECT wrapped_key, NULL FROM secrets.data_keys", admin))
        await using (var reader = await raw.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                dump.Write(reader.GetFieldValue<byte[]>(0));
                if (!reader.IsDBNull(1))
                {
                    dump.Write(reader.GetFieldValue<byte[]>(1));
                }
            }
        }

        return dump.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
