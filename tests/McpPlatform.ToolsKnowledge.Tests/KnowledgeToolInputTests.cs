using System.Text;
using McpPlatform.ToolsKnowledge.Middleware;
using McpPlatform.ToolsKnowledge.Services;

namespace McpPlatform.ToolsKnowledge.Tests;

/// <summary>The pure parts of tools-knowledge's input handling: invalid-text detection, query normalisation, content hashing.</summary>
public sealed class KnowledgeToolInputTests
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

    [Fact]
    public void NormalizeQuery_WhiteSpaceRuns_GiveOneKey_CaseKept()
    {
        KnowledgeService.NormalizeQuery("  How   do\tI\n connect?  ").ShouldBe("How do I connect?");
        KnowledgeService.NormalizeQuery("VPN").ShouldNotBe(KnowledgeService.NormalizeQuery("vpn"));
    }

    [Fact]
    public void ContentHash_MetadataOrderIgnored_AnyFieldChangeDetected()
    {
        var a = KnowledgeService.ContentHash("T", "text", null, new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        var b = KnowledgeService.ContentHash("T", "text", null, new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });

        b.ShouldBe(a);
        KnowledgeService.ContentHash("T", "text!", null, null).ShouldNotBe(KnowledgeService.ContentHash("T", "text", null, null));
        KnowledgeService.ContentHash("T", "text", "https://x.example/", null).ShouldNotBe(KnowledgeService.ContentHash("T", "text", null, null));
        // Field boundaries are kept: moving text between title and body changes the hash.
        KnowledgeService.ContentHash("Ta", "b", null, null).ShouldNotBe(KnowledgeService.ContentHash("T", "ab", null, null));
    }

    [Fact]
    public void DerivedDocumentId_SameTitle_SameId()
    {
        KnowledgeService.DerivedDocumentId("Travel policy ").ShouldBe(KnowledgeService.DerivedDocumentId("Travel policy"));
        KnowledgeService.DerivedDocumentId("Travel policy").ShouldNotBe(KnowledgeService.DerivedDocumentId("Travel Policy"));
        KnowledgeService.DerivedDocumentId("Travel policy").ShouldStartWith("doc-");
    }
}
