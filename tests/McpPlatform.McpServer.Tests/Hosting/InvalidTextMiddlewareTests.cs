using System.Text;
using McpPlatform.McpServer.Hosting;

namespace McpPlatform.McpServer.Tests.Hosting;

/// <summary>Invalid-text detection in front of every platform MCP server's SDK binding.</summary>
public sealed class InvalidTextMiddlewareTests
{
    [Theory]
    [InlineData("""{"params":{"arguments":{"text":"plain text"}}}""")]
    [InlineData("""{"params":{"arguments":{"text":"emoji \ud83d\ude00 as an escaped pair"}}}""")]
    [InlineData("""{"params":{"arguments":{"text":"quote \" and \u00e9"}}}""")]
    [InlineData("""{"not json""")]
    public void Problem_ValidTextOrNotJson_IsNone(string body) =>
        InvalidTextMiddleware.Problem(Encoding.UTF8.GetBytes(body)).ShouldBeNull();

    [Theory]
    [InlineData("""{"params":{"arguments":{"text":"lone \ud800 high"}}}""")]
    [InlineData("""{"params":{"arguments":{"text":"lone \udc00 low"}}}""")]
    [InlineData("""{"params":{"arguments":{"metadata":{"k":"x \ud83d"}}}}""")]
    [InlineData("""{"params":{"arguments":{"\ud800":"in a property name"}}}""")]
    public void Problem_EscapedLoneSurrogate_IsText(string body) =>
        InvalidTextMiddleware.Problem(Encoding.UTF8.GetBytes(body)).ShouldBe("text");

    [Fact]
    public void Problem_BytesThatAreNotUtf8_IsBody()
    {
        var body = Encoding.UTF8.GetBytes("""{"params":{"arguments":{"text":"XX"}}}""");
        body[Array.IndexOf(body, (byte)'X')] = 0xC3;
        body[Array.IndexOf(body, (byte)'X')] = 0x28;

        InvalidTextMiddleware.Problem(body).ShouldBe("body");
    }
}
