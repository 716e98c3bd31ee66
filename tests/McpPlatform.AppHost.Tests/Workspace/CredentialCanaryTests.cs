using System.Net;
using System.Security.Cryptography;
using System.Text;
using McpPlatform.AppHost.Tests.Secrets;
using McpPlatform.AppHost.Tests.Support;
using McpPlatform.AppHost.Tests.Telemetry;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Workspace;

/// <summary>
/// A tenant's credential used through call_connection reaches the connection's API and nothing
/// else: not the tool result, not the platform telemetry, not the audit trail or spool, not Redis,
/// not PostgreSQL except as ciphertext, not the environment of any process (issue 13).
/// </summary>
public sealed class CredentialCanaryTests(PlatformFixture platform)
{
    private static readonly string[] s_prefixes = ["/v1/"];
    private static readonly string[] s_methods = ["GET", "POST"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CanaryCredential_UsedThroughCallConnection_ReachesPartnerAndNothingElse()
    {
        await platform.WaitForHealthyAsync(PlatformServices.Secrets.ResourceName, PlatformServices.ToolsWorkspace.ResourceName,
            PlatformServices.Partner.ResourceName, PlatformServices.CollectorPlatform.ResourceName, PlatformServices.CollectorTenant.ResourceName);
        // Printable ASCII: it travels as a header value.
        var canary = $"canary-credential-{Guid.NewGuid():N}";
        var secretName = SecretsClient.NewName("canary-key");
        var connection = SecretsClient.NewName("canary-conn");

        // alice keeps the credential in secrets and registers a connection that uses it.
        await SecretsClient.CreateAsync(await SecretsClient.AliceAsync(Cancel), secretName, canary, Cancel);
        var (put, putBody) = await WorkspaceClient.SendAsync(HttpMethod.Put, $"/v1/connections/{connection}", await WorkspaceClient.AliceAsync(Cancel), new
        {
            baseUrl = PlatformServices.Partner.LocalOrigin,
            secretName,
            credentialHeader = "X-Api-Key",
            allowedPathPrefixes = s_prefixes,
            allowedMethods = s_methods,
        }, Cancel);
        put.ShouldBe(HttpStatusCode.Created, putBody.GetRawText());

        // contoso's agent calls partner through it: partner sees the canary (it is not one of its
        // keys, so it answers 401), and the tool result carries partner's answer, not the key.
        var after = await WorkspaceClient.PartnerLastSeqAsync(Cancel);
        var results = new List<string>();
        await using (var client = await WorkspaceClient.ConnectAsync(await WorkspaceClient.ContosoAgentAsync(Cancel), Cancel))
        {
            foreach (var (path, method) in new[] { ("/v1/whoami", "GET"), ("/v1/echo", "POST") })
            {
                var result = await WorkspaceClient.CallConnectionAsync(client, connection, path, Cancel, method, method == "POST" ? "{\"hello\":1}" : null);
                result.IsError.ShouldNotBe(true, result.StructuredContent?.GetRawText());
                result.StructuredContent!.Value.GetProperty("status").GetInt32().ShouldBe(401);
                results.Add(result.StructuredContent.Value.GetRawText() + string.Join('\n', result.Content.Select(c => c.ToString())));
            }
        }

        var canaryHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canary)));
        (await WorkspaceClient.PartnerRequestsAsync(after, Cancel))
            .Count(r => r.GetProperty("keySha256").GetString() == canaryHash).ShouldBe(2, "partner should have received the canary key twice");

        // Both reads are in contoso's trail (without the value, checked with the database below).
        var reads = await AuditClient.WaitForRecordsAsync(await AuditClient.AliceAsync(Cancel), "kind=secret_read", 1, Cancel);
        reads.Count(r => r.GetRawText().Contains(secretName, StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(1);

        // Let tools-workspace's and secrets' telemetry of these calls reach collector-platform.
        await Task.Delay(TimeSpan.FromSeconds(4), Cancel);
        // The canary's unique part: also catches a value truncated after it.
        string[] canaries = [canary[..40]];
        List<string> found =
        [
            .. results.SelectMany(text => CanarySearch.Found(text, canaries, "a tool result")),
            .. await CanarySearch.InReceivedTelemetryAsync(canaries, Cancel),
            .. await CanarySearch.InSpoolFilesAsync(platform.DataFolder, canaries, Cancel),
            .. CanarySearch.InProcessEnvironments(canaries),
            .. await CanarySearch.InRedisAsync(await platform.ConnectionStringAsync(InfrastructureResources.Redis), canaries),
            .. await CanarySearch.InDatabasesAsync(platform, canaries, Cancel),
        ];
        found.ShouldBeEmpty("the credential appears outside the request to partner");

        // The searches see what they should: the secret's name is stored in the clear, the call is
        // in tools-workspace's telemetry, and the services' environments are readable.
        (await CanarySearch.InDatabasesAsync(platform, [secretName], Cancel)).ShouldNotBeEmpty();
        (await CanarySearch.InReceivedTelemetryAsync(["call_connection"], Cancel)).ShouldNotBeEmpty();
        CanarySearch.InProcessEnvironments([$"OTEL_SERVICE_NAME={PlatformServices.ToolsWorkspace.ResourceName}"]).ShouldNotBeEmpty();
    }
}
