using System.Globalization;
using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>redis-server as a local process with append-only persistence in the data folder.</summary>
internal static class LocalRedis
{
    private const string HealthCheckName = "redis-local";

    public static IResourceBuilder<LocalRedisResource> Add(IDistributedApplicationBuilder builder, string dataRoot)
    {
        var redisServer = LocalMachine.FindRedisServer();
        var directory = Path.Combine(dataRoot, "redis");
        Directory.CreateDirectory(directory);
        var password = LocalMachine.ReadOrCreateSecret(Path.Combine(dataRoot, "redis.password"));
        var pidFile = Path.Combine(directory, "redis.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var oldPid))
        {
            OrphanProcesses.Stop(oldPid, "redis-server", OrphanProcesses.SigTerm);
        }

        var port = LocalMachine.FreeLoopbackPort();

        // The password goes in a config file (owner-only), not on the command line where ps shows it.
        var configFile = Path.Combine(directory, "redis.conf");
        LocalMachine.WriteOwnerOnly(configFile, string.Create(CultureInfo.InvariantCulture, $"""
            bind 127.0.0.1
            port {port}
            protected-mode yes
            daemonize no
            dir {directory}
            pidfile {pidFile}
            appendonly yes
            save ""
            requirepass {password}

            """));

        var passwordParameter = builder.AddParameter($"{InfrastructureResources.Redis}-password", password, secret: true);
        builder.Services.AddHealthChecks().AddRedis($"127.0.0.1:{port},password={password},abortConnect=false", name: HealthCheckName);

        return builder.AddResource(new LocalRedisResource(InfrastructureResources.Redis, redisServer, directory, passwordParameter.Resource))
            .WithArgs(configFile)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalRedisResource.EndpointName, isProxied: false)
            .WithHealthCheck(HealthCheckName)
            .ExcludeFromManifest();
    }
}
