using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace McpPlatform.AppHost.Tests;

public sealed class PlatformHealthTests(PlatformFixture platform)
{
    [Fact]
    public async Task Start_LocalMode_EveryResourceBecomesHealthy()
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StartTimeout);
        var model = platform.App.Services.GetRequiredService<DistributedApplicationModel>();
        var notifications = platform.App.ResourceNotifications;

        // Parameters and Aspire's own hidden helpers (project rebuilders) are not parts of the platform.
        var resources = model.Resources
            .Where(r => r is not ParameterResource)
            .Where(r => !(notifications.TryGetCurrentState(r.Name, out var state) && state.Snapshot.IsHidden))
            .ToList();
        resources.Select(r => r.Name).ShouldBeSubsetOf(ExpectedResourceNames().Concat(InfrastructureResources.Databases));
        ExpectedResourceNames().ShouldBeSubsetOf(resources.Select(r => r.Name));

        foreach (var resource in resources.Where(r => r.Name != InfrastructureResources.DbMigrator))
        {
            await notifications.WaitForResourceHealthyAsync(resource.Name, cancellation.Token);
        }

        var migrator = await notifications.WaitForResourceAsync(
            InfrastructureResources.DbMigrator, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellation.Token);
        migrator.Snapshot.State?.Text.ShouldBe(KnownResourceStates.Finished);
        migrator.Snapshot.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Migrator_FirstStart_CreatesEveryApplicationDatabase()
    {
        using var cancellation = new CancellationTokenSource(TestSettings.StartTimeout);
        await platform.App.ResourceNotifications.WaitForResourceAsync(
            InfrastructureResources.DbMigrator, KnownResourceStates.Finished, cancellation.Token);

        foreach (var database in InfrastructureResources.Databases)
        {
            await using var connection = new NpgsqlConnection(await platform.ConnectionStringAsync(database));
            await connection.OpenAsync(cancellation.Token);
            connection.Database.ShouldBe(database);
        }
    }

    [Fact]
    public async Task LocalPostgres_ListensOnLoopbackOnly_WithPasswordAuthentication()
    {
        var builder = new NpgsqlConnectionStringBuilder(await platform.ConnectionStringAsync(InfrastructureResources.Postgres));
        builder.Host.ShouldBeOneOf("localhost", "127.0.0.1");

        builder.Password = "wrong-password";
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        var error = await Should.ThrowAsync<PostgresException>(() => connection.OpenAsync());
        error.SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
    }

    private static IEnumerable<string> ExpectedResourceNames() =>
        [
            InfrastructureResources.Postgres, InfrastructureResources.Redis, InfrastructureResources.DbMigrator,
            PlatformServices.Identity.ResourceName, PlatformServices.ToolsKnowledge.ResourceName, PlatformServices.Downstream.ResourceName,
            PlatformServices.Partner.ResourceName, PlatformServices.ToolsWorkspace.ResourceName, PlatformServices.Quota.ResourceName, PlatformServices.CollectorTenant.ResourceName, PlatformServices.CollectorPlatform.ResourceName,
            PlatformServices.Secrets.ResourceName,
        ];
}
