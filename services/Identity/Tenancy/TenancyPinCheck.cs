using McpPlatform.Core;
using McpPlatform.Identity.Data;
using McpPlatform.Identity.Data.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace McpPlatform.Identity.Tenancy;

/// <summary>
/// Pins the tenancy setting on first start and refuses every later start whose setting differs:
/// throwing from <see cref="StartAsync"/> stops the host before it serves a request, and the
/// process exits non-zero.
/// </summary>
internal sealed class TenancyPinCheck(
    IServiceScopeFactory scopes,
    IOptions<TenancyOptions> tenancy,
    ILogger<TenancyPinCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = tenancy.Value.Describe();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();

        var pin = await db.TenancyPins.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (pin is null)
        {
            pin = new TenancyPin { Setting = configured, PinnedAt = DateTimeOffset.UtcNow };
            db.TenancyPins.Add(pin);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Pinned the tenancy setting {Setting}.", configured);
                return;
            }
            catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another instance pinned first; compare against what it wrote.
                db.ChangeTracker.Clear();
                pin = await db.TenancyPins.AsNoTracking().FirstAsync(cancellationToken);
            }
        }

        var drift = TenancyPinning.DescribeDrift(pin.Setting, configured);
        if (drift is not null)
        {
            logger.LogCritical("{Message}", drift);
            throw new InvalidOperationException(drift);
        }

        logger.LogInformation("Tenancy setting {Setting} matches the pinned one.", configured);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
