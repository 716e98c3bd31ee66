using System.Security.Cryptography;
using System.Text;
using McpPlatform.Core;
using McpPlatform.Secrets.Store;
using Microsoft.Extensions.Options;

namespace McpPlatform.Secrets.Seed;

/// <summary>
/// Development only: gives each demo tenant the secret <c>partner-api-key</c> (its partner key,
/// readable by <c>tools-workspace</c> for <c>call_connection</c> and <c>run_script</c>), idempotently; a changed
/// parameter rotates it. It runs here at start rather than in the db-migrator because writing a
/// value means encrypting it, and only this service holds the key-encryption key: the migrator,
/// which holds the server admin's password, never gets the key too.
/// </summary>
internal sealed partial class DevelopmentSeed(
    ISecretStore store,
    IOptions<DevelopmentSeedOptions> options,
    IHostEnvironment environment,
    ILogger<DevelopmentSeed> logger) : IHostedService
{
    /// <summary>The seeded secret's allowed servers.</summary>
    public static readonly string[] AllowedServers = [DemoDirectory.ToolsWorkspaceClientId];

    /// <summary>The seeded secret's allowed tools.</summary>
    public static readonly string[] AllowedTools = ["call_connection", "run_script"];

    private const string SeedPrincipal = "development-seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment())
        {
            return;
        }

        int created = 0, rotated = 0, unchanged = 0;
        foreach (var (tenant, key) in options.Value.PartnerKeys)
        {
            if (string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(key))
            {
                continue;
            }

            var value = Encoding.UTF8.GetBytes(key);
            try
            {
                using var current = await store.ReadAsync(tenant, DemoDirectory.PartnerSecretName, _ => true, cancellationToken) is { } read
                    ? read.Value
                    : null;
                if (current is null)
                {
                    await store.CreateAsync(tenant, new NewSecret(DemoDirectory.PartnerSecretName, value, AllowedServers, AllowedTools, SeedPrincipal),
                        cancellationToken);
                    created++;
                }
                else if (!CryptographicOperations.FixedTimeEquals(current.Utf8, value))
                {
                    await store.RotateAsync(tenant, DemoDirectory.PartnerSecretName, value, SeedPrincipal, cancellationToken);
                    rotated++;
                }
                else
                {
                    unchanged++;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(value);
            }
        }

        LogSeeded(logger, created, rotated, unchanged);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Counts only: no tenant, no name, no value.
    [LoggerMessage(Level = LogLevel.Information, Message = "Development seed: {Created} partner secrets created, {Rotated} rotated, {Unchanged} unchanged.")]
    private static partial void LogSeeded(ILogger logger, int created, int rotated, int unchanged);
}
