using System.Net.Sockets;
using StackExchange.Redis;

namespace McpPlatform.Shared;

/// <summary>How the platform's Redis clients (the tenant cache, the quota engine) tell a lost connection from other failures.</summary>
internal static class RedisFailures
{
    /// <summary>
    /// Redis could not be reached or did not answer in time. Includes the socket's own exceptions:
    /// a command in flight when the connection drops can fault with those (e.g. "connection reset
    /// by peer") rather than StackExchange.Redis's wrapper, and a command written just as the
    /// connection closes can fault with the closed pipe's own InvalidOperationException ("Writing
    /// is not allowed after writer was completed").
    /// </summary>
    /// <param name="exception">What a Redis command threw.</param>
    /// <returns>True when the failure is the connection, not the command.</returns>
    public static bool IsConnectionLoss(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException or TimeoutException or IOException or SocketException
        || (exception is InvalidOperationException && exception.TargetSite?.DeclaringType?.Namespace == typeof(System.IO.Pipelines.Pipe).Namespace);
}
