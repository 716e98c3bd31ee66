using System.Text.Json;
using McpPlatform.Identity.Exchange;

namespace McpPlatform.Identity.Tests;

public sealed class ActorChainTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("""{"sub":"a"}""", 1)]
    [InlineData("""{"sub":"a","act":{"sub":"b"}}""", 2)]
    [InlineData("""{"sub":"a","act":{"sub":"b","act":{"sub":"c"}}}""", 3)]
    public void Depth_NestedActClaims_CountsActors(string? act, int expected)
    {
        ActorChain.Depth(act).ShouldBe(expected);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"act":{"sub":"b"}}""")]
    [InlineData("""{"sub":"a","act":"b"}""")]
    [InlineData("""["a"]""")]
    public void Depth_MalformedActClaim_IsUnbounded(string act)
    {
        ActorChain.Depth(act).ShouldBe(int.MaxValue);
    }

    [Fact]
    public void Nest_NoPreviousActor_IsSubOnly()
    {
        ActorChain.Nest("tools-knowledge", null).ToJsonString().ShouldBe("""{"sub":"tools-knowledge"}""");
    }

    [Fact]
    public void Nest_PreviousActor_NestsItInside()
    {
        var act = ActorChain.Nest("tools-workspace", """{"sub":"tools-knowledge"}""");

        using var document = JsonDocument.Parse(act.ToJsonString());
        document.RootElement.GetProperty("sub").GetString().ShouldBe("tools-workspace");
        document.RootElement.GetProperty("act").GetProperty("sub").GetString().ShouldBe("tools-knowledge");
        ActorChain.Depth(act.ToJsonString()).ShouldBe(2);
    }
}
