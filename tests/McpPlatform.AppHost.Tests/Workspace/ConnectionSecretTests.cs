using System.Net;
using System.Security.Cryptography;
using System.Text;
using McpPlatform.AppHost.Tests.Secrets;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Workspace;

/// <summary>
/// call_connection with the tenant's own secrets, end to end: the credential is read per invocation
/// (a rotation takes effect on the next call), a secret that does not allow the tool is
/// <c>secret.denied</c>, and another tenant's connection and secret cannot be named.
/// </summary>
public sealed class ConnectionSecretTests(PlatformFixture platform)
{
    private static readonly string[] s_prefixes = ["/v1/"];
    private static readonly string[] s_get = ["GET"];
    private static readonly string[] s_servers = [DemoDirectory.ToolsWorkspaceClientId];
    private static readonly string[] s_otherTool = ["some_other_tool"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotate_TheNextCallSendsTheNewValue()
    {
        await ReadyAsync();
        var secretName = SecretsClient.NewName("rotating");
        // Printable ASCII: they travel as header values.
        var (first, second) = ($"first-{Guid.NewGuid():N}", $"second-{Guid.NewGuid():N}");
        var alice = await SecretsClient.AliceAsync(Cancel);
        await SecretsClient.CreateAsync(alice, secretName, first, Cancel);
        var connection = await PutConnectionAsync(secretName);

        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        (await SentKeysAsync(client, connection)).ShouldBe([Sha256(first)]);

        (await SecretsClient.CallAsync(HttpMethod.Post, $"/v1/secrets/{secretName}/rotate", alice, new { value = second }, Cancel))
            .Status.ShouldBe(HttpStatusCode.OK);
        (await SentKeysAsync(client, connection)).ShouldBe([Sha256(second)]);
    }

    [Fact]
    public async Task SecretThatDoesNotAllowTheTool_IsSecretDenied_AndNothingIsSent()
    {
        await ReadyAsync();
        var secretName = SecretsClient.NewName("other-tool");
        await SecretsClient.CreateAsync(await SecretsClient.AliceAsync(Cancel), secretName, SecretsClient.NewCanary(), Cancel,
            servers: s_servers, tools: s_otherTool);
        var connection = await PutConnectionAsync(secretName);
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);

        await using var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel);
        var result = await WorkspaceClient.CallConnectionAsync(client, connection, "/v1/whoami", Cancel);

        WorkspaceClient.ErrorCode(result).ShouldBe(ToolErrorCodes.SecretDenied);
        (await WorkspaceClient.PartnerRequestsAsync(after, Cancel)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Fabrikam_CannotNameContososConnection()
    {
        await ReadyAsync();
        var secretName = SecretsClient.NewName("contoso-only");
        await SecretsClient.CreateAsync(await SecretsClient.AliceAsync(Cancel), secretName, SecretsClient.NewCanary(), Cancel);
        var connection = await PutConnectionAsync(secretName);
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);

        await using var fabrikam = await WorkspaceClient.ConnectAsync(await WorkspaceClient.FabrikamAgentAsync(Cancel), Cancel);
        var result = await WorkspaceClient.CallConnectionAsync(fabrikam, connection, "/v1/whoami", Cancel);

        WorkspaceClient.ErrorCode(result).ShouldBe(ToolErrorCodes.ConnectionNotFound);
        (await WorkspaceClient.PartnerRequestsAsync(after, Cancel)).ShouldBeEmpty();
    }

    private async Task ReadyAsync() =>
        await platform.WaitForHealthyAsync(PlatformServices.Secrets.ResourceName, PlatformServices.ToolsWorkspace.ResourceName,
            PlatformServices.Partner.ResourceName);

    // alice's connection to partner that sends the named secret as its key.
    private static async Task<string> PutConnectionAsync(string secretName)
    {
        var connection = SecretsClient.NewName("conn");
        var (status, body) = await WorkspaceClient.SendAsync(HttpMethod.Put, $"/v1/connections/{connection}", await WorkspaceClient.AliceAsync(Cancel), new
        {
            baseUrl = PlatformServices.Partner.LocalOrigin,
            secretName,
            credentialHeader = "X-Api-Key",
            allowedPathPrefixes = s_prefixes,
            allowedMethods = s_get,
        }, Cancel);
        status.ShouldBe(HttpStatusCode.Created, body.GetRawText());
        return connection;
    }

    // Calls /v1/whoami once through the connection; the key hashes partner recorded for that call.
    private static async Task<string[]> SentKeysAsync(ModelContextProtocol.Client.McpClient client, string connection)
    {
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);
        var result = await WorkspaceClient.CallConnectionAsync(client, connection, "/v1/whoami", Cancel);
        result.IsError.ShouldNotBe(true, result.StructuredContent?.GetRawText());
        return [.. (await WorkspaceClient.PartnerRequestsAsync(after, Cancel)).Select(r => r.GetProperty("keySha256").GetString()!)];
    }

    private static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
