using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL as a local process: the cluster is created once (initdb) into the data folder
/// and reused on every later start; the server listens on loopback only.
/// </summary>
internal static class LocalPostgres
{
    private const string HealthCheckName = "postgres-local";

    public static IResourceBuilder<LocalPostgresServerResource> Add(IDistributedApplicationBuilder builder, string dataRoot)
    {
        var binDirectory = LocalMachine.FindPostgresBinDirectory();
        var clusterDirectory = Path.Combine(dataRoot, "postgres");
        var passwordFile = Path.Combine(dataRoot, "postgres.password");

        var password = EnsureCluster(binDirectory, clusterDirectory, passwordFile);
        StopOrphan(clusterDirectory);

        var port = LocalMachine.FreeLoopbackPort();
        var passwordParameter = builder.AddParameter($"{InfrastructureResources.Postgres}-password", password, secret: true);
        var (command, prefix) = LocalMachine.AsAccount(Path.Combine(binDirectory, "postgres"), LocalMachine.PostgresAccount);

        // No pooling: an idle pooled connection held by the AppHost would keep PostgreSQL's
        // smart shutdown (SIGTERM) waiting on every stop and restart.
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=postgres;Timeout=5;Pooling=false";
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: HealthCheckName);

        return builder.AddResource(new LocalPostgresServerResource(InfrastructureResources.Postgres, command, clusterDirectory, passwordParameter.Resource))
            .WithArgs([
                .. prefix,
                "-D", clusterDirectory,
                "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-c", "listen_addresses=127.0.0.1",
                // TCP only: no socket file in /var/run/postgresql, which may belong to Debian's own cluster.
                "-c", "unix_socket_directories=",
                "-c", "max_connections=300",
            ])
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalPostgresServerResource.EndpointName, isProxied: false)
            .WithHealthCheck(HealthCheckName)
            .ExcludeFromManifest();
    }

    /// <summary>Creates the cluster on first start; later starts find PG_VERSION and reuse it.</summary>
    private static string EnsureCluster(string binDirectory, string clusterDirectory, string passwordFile)
    {
        if (File.Exists(Path.Combine(clusterDirectory, "PG_VERSION")))
        {
            if (!File.Exists(passwordFile))
            {
                throw new InvalidOperationException(
                    $"The local PostgreSQL cluster at {clusterDirectory} exists but its password file {passwordFile} is gone. " +
                    $"Restore the file, or delete {clusterDirectory} to start from an empty cluster (its data is lost).");
            }

            return LocalMachine.ReadOrCreateSecret(passwordFile);
        }

        var password = LocalMachine.ReadOrCreateSecret(passwordFile);
        Directory.CreateDirectory(clusterDirectory);

        // initdb reads the superuser password from a file the postgres account can read; it
        // lives outside the (must be empty) cluster folder and is removed straight after.
        var initPasswordFile = Path.Combine(Path.GetDirectoryName(clusterDirectory)!, $".initdb-{Guid.NewGuid():N}");
        File.WriteAllText(initPasswordFile, password);
        try
        {
            if (LocalMachine.IsRoot)
            {
                LocalMachine.ChangeOwner(clusterDirectory, LocalMachine.PostgresAccount);
                LocalMachine.ChangeOwner(initPasswordFile, LocalMachine.PostgresAccount);
            }

            var (command, prefix) = LocalMachine.AsAccount(Path.Combine(binDirectory, "initdb"), LocalMachine.PostgresAccount);
            LocalMachine.Run(command,
                [.. prefix, "-D", clusterDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={initPasswordFile}",
                 "--encoding=UTF8", "--no-locale", "--no-instructions"],
                TimeSpan.FromMinutes(2));
        }
        catch
        {
            // A half-made cluster would be taken as valid next time; leave nothing behind.
            Directory.Delete(clusterDirectory, recursive: true);
            throw;
        }
        finally
        {
            File.Delete(initPasswordFile);
        }

        return password;
    }

    /// <summary>
    /// A postmaster left running on this cluster (an AppHost killed with SIGKILL, say) would
    /// make the new one refuse to start; stop it with a fast shutdown first.
    /// </summary>
    private static void StopOrphan(string clusterDirectory)
    {
        var pidFile = Path.Combine(clusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (int.TryParse(firstLine, out var pid))
        {
            OrphanProcesses.Stop(pid, "postgres", OrphanProcesses.SigInt);
        }
    }
}
