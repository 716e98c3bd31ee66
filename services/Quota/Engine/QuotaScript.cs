using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace McpPlatform.Quota.Engine;

/// <summary>
/// A Lua script sent as <c>EVALSHA</c> (one round trip carrying only the hash). Redis forgets
/// scripts when it restarts; then the first call gets <c>NOSCRIPT</c> and is repeated once as
/// <c>EVAL</c>, which also reloads the script for every later call.
/// </summary>
public sealed class QuotaScript
{
    private readonly byte[] _sha1;

    /// <summary>Creates the script and its hash.</summary>
    /// <param name="source">The Lua source.</param>
    public QuotaScript(string source)
    {
        Source = source;
        // Redis names cached scripts by SHA-1; this is an identifier, not a security use.
#pragma warning disable CA5350
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
#pragma warning restore CA5350
    }

    /// <summary>The Lua source.</summary>
    public string Source { get; }

    /// <summary>Runs the script.</summary>
    /// <param name="database">The database.</param>
    /// <param name="keys">Declared keys (one hash tag).</param>
    /// <param name="args">Arguments.</param>
    /// <returns>The script's result.</returns>
    public async Task<RedisResult> RunAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] args)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            return await database.ScriptEvaluateAsync(_sha1, keys, args);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(Source, keys, args);
        }
    }
}
