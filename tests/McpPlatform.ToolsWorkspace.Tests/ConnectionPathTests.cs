using McpPlatform.ToolsWorkspace.Connections;

namespace McpPlatform.ToolsWorkspace.Tests;

public sealed class ConnectionPathTests
{
    [Theory]
    [InlineData("/v1/whoami")]
    [InlineData("/v1/items?limit=10&after=c-1")]
    [InlineData("/v1/")]
    [InlineData("/")]
    [InlineData("/v1/a%20b")]
    [InlineData("/v1/file.json")]
    [InlineData("/v1/..x/y")]
    public void Problem_PlainPaths_AreAccepted(string path)
    {
        ConnectionPath.Problem(path).ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1/whoami")]
    [InlineData("//evil.example/v1/")]
    [InlineData("http://evil.example/v1/")]
    [InlineData("/v1/../admin")]
    [InlineData("/v1/./whoami")]
    [InlineData("/v1/..")]
    [InlineData("/v1/..;/admin")]
    [InlineData("/v1/.;x/admin")]
    [InlineData("/v1//whoami")]
    [InlineData("/v1/%2e%2e/admin")]
    [InlineData("/v1/%2E%2E/admin")]
    [InlineData("/v1/.%2e/admin")]
    [InlineData("/v1/%2fadmin")]
    [InlineData("/v1/%5c..%5cadmin")]
    [InlineData("/v1/%252e%252e/admin")]
    [InlineData("/v1\\..\\admin")]
    [InlineData("/v1/who ami")]
    [InlineData("/v1/who\u0000ami")]
    [InlineData("/v1/who\r\nX-Injected: 1")]
    [InlineData("/v1/who\tami")]
    [InlineData("/v1/whoami#fragment")]
    [InlineData("/v1/caf\u00e9")]
    [InlineData("/v1/%00")]
    [InlineData("/v1/%0d%0a")]
    [InlineData("/v1/%zz")]
    [InlineData("/v1/%2")]
    [InlineData("/v1/x?q=%00")]
    public void Problem_TraversalEncodedTricksAndControlCharacters_AreRefused(string path)
    {
        ConnectionPath.Problem(path).ShouldNotBeNull();
    }

    [Fact]
    public void Problem_OverLongPath_IsRefusedWithoutEchoingIt()
    {
        var path = "/v1/" + new string('a', ConnectionPath.MaxLength);

        var problem = ConnectionPath.Problem(path).ShouldNotBeNull();

        problem.ShouldNotContain("aaaa");
    }

    [Fact]
    public void Problem_PrefixWithQuery_IsRefused()
    {
        ConnectionPath.Problem("/v1/?x=1", allowQuery: false).ShouldNotBeNull();
        ConnectionPath.Problem("/v1/", allowQuery: false).ShouldBeNull();
    }

    [Theory]
    [InlineData("/v1/whoami", "/v1/", true)]
    [InlineData("/v1/whoami?x=/v2/", "/v1/", true)]
    [InlineData("/v2/whoami?x=/v1/", "/v1/", false)]
    [InlineData("/v1", "/v1", true)]
    [InlineData("/v1/x", "/v1", true)]
    [InlineData("/v1x", "/v1", false)]
    [InlineData("/V1/whoami", "/v1/", false)]
    [InlineData("/", "/v1/", false)]
    public void IsUnder_MatchesPrefixesAtSegmentBoundaries(string path, string prefix, bool expected)
    {
        ConnectionPath.IsUnder(path, [prefix]).ShouldBe(expected);
    }
}
