using McpPlatform.Core;
using McpPlatform.Knowledge.Store;
using McpPlatform.ToolsKnowledge.Services;

namespace McpPlatform.ToolsKnowledge.Onboarding;

/// <summary>
/// The privileged onboarding step of tools-knowledge, run once when the service starts and before
/// it serves: provisions the configured data partitions (for Qdrant, with the global key, which
/// the request path never uses) and, when seeding is on, the demo tenants' partitions and the demo
/// corpus. Seeding is idempotent: documents have fixed ids and unchanged content is skipped
/// without embedding. The demo tenants' data partition is the tenant itself (the default
/// tenancy model); with a per-principal data scope the seeded corpus is not what callers see.
/// </summary>
public sealed partial class KnowledgeOnboarding(
    IVectorStoreProvisioner provisioner,
    IServiceScopeFactory scopes,
    Microsoft.Extensions.Options.IOptions<KnowledgeOnboardingOptions> options,
    ILogger<KnowledgeOnboarding> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var partition in options.Value.Partitions)
        {
            await ProvisionAsync(partition, cancellationToken);
        }

        if (!options.Value.SeedDemoCorpus)
        {
            return;
        }

        foreach (var tenantId in (string[])[DemoDirectory.ContosoTenantId, DemoDirectory.FabrikamTenantId])
        {
            await ProvisionAsync(tenantId, cancellationToken);
            var tenant = new TenantContext(tenantId, "knowledge-seed", PrincipalTypes.Agent, "seed-" + Guid.CreateVersion7().ToString("N"),
                tenantId, tenantId, tenantId);
            await using var scope = scopes.CreateAsyncScope();
            var knowledge = scope.ServiceProvider.GetRequiredService<KnowledgeService>();
            var seeded = 0;
            foreach (var document in DemoCorpus.For(tenantId))
            {
                try
                {
                    var result = await knowledge.IngestAsync(tenant, document, cancellationToken);
                    seeded += result.Unchanged ? 0 : 1;
                }
                catch (KnowledgeToolException exception)
                {
                    // The service still starts: the demo corpus is a convenience, not a dependency.
                    LogSeedFailed(logger, exception, exception.Code);
                }
            }

            LogSeeded(logger, seeded);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ProvisionAsync(string partition, CancellationToken cancellationToken)
    {
        try
        {
            await provisioner.ProvisionAsync(partition, cancellationToken);
        }
        catch (KnowledgeStoreException exception)
        {
            LogProvisionFailed(logger, exception, exception.Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo knowledge: {Count} documents written for a demo tenant (unchanged ones skipped).")]
    private static partial void LogSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo knowledge: a document could not be seeded ({Code}).")]
    private static partial void LogSeedFailed(ILogger logger, Exception exception, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provisioning a knowledge partition failed ({Kind}); its tenant's knowledge tools will answer knowledge.not_provisioned or knowledge.unavailable.")]
    private static partial void LogProvisionFailed(ILogger logger, Exception exception, KnowledgeStoreErrorKind kind);
}
