using System.Security.Cryptography;
using System.Text;

namespace McpPlatform.AppHost.Infrastructure;

/// <summary>Where local mode keeps PostgreSQL's cluster, Redis's AOF and local secrets.</summary>
internal static class LocalDataFolder
{
    /// <summary>The setting that moves the folder (tests point it at a temporary folder).</summary>
    public const string SettingKey = "LocalInfrastructure:DataPath";

    public static string Resolve(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[SettingKey];
        var root = Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(builder.AppHostDirectory, "..", ".data")
            : configured);
        Directory.CreateDirectory(root);

        // As root, PostgreSQL runs as the postgres account, which must be able to reach the
        // folder. A clone under /root cannot be reached; fall back to a per-clone folder under
        // /var/lib rather than loosening permissions on the user's home.
        if (LocalMachine.IsRoot && !LocalMachine.AccountCanEnter(LocalMachine.PostgresAccount, root))
        {
            var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12].ToLowerInvariant();
            root = Path.Combine("/var/lib/mcpplatform", key);
            Directory.CreateDirectory(root);
        }

        return root;
    }
}
