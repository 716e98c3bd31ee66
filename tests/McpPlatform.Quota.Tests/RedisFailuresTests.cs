using System.IO.Pipelines;
using System.Net.Sockets;
using McpPlatform.Shared;
using StackExchange.Redis;

namespace McpPlatform.Quota.Tests;

public sealed class RedisFailuresTests
{
    [Fact]
    public void IsConnectionLoss_WriteToClosedPipe_IsConnectionLoss()
    {
        // What StackExchange.Redis throws for a command written as its socket's pipe closes.
        var pipe = new Pipe();
        pipe.Writer.Complete();
        var closed = Should.Throw<InvalidOperationException>(() => pipe.Writer.GetSpan());

        RedisFailures.IsConnectionLoss(closed).ShouldBeTrue();
    }

    [Fact]
    public void IsConnectionLoss_ConnectionAndSocketFailures_AreConnectionLoss()
    {
        RedisFailures.IsConnectionLoss(new RedisConnectionException(ConnectionFailureType.SocketClosed, "closed")).ShouldBeTrue();
        RedisFailures.IsConnectionLoss(new RedisTimeoutException("slow", CommandStatus.Sent)).ShouldBeTrue();
        RedisFailures.IsConnectionLoss(new SocketException((int)SocketError.ConnectionReset)).ShouldBeTrue();
    }

    [Fact]
    public void IsConnectionLoss_OtherFailures_AreNot()
    {
        RedisFailures.IsConnectionLoss(new InvalidOperationException("a bug of ours")).ShouldBeFalse();
        RedisFailures.IsConnectionLoss(new RedisServerException("ERR wrong number of arguments")).ShouldBeFalse();
        RedisFailures.IsConnectionLoss(new ArgumentException("bad key")).ShouldBeFalse();
    }
}
