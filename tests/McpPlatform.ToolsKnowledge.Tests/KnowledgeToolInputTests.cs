using McpPlatform.ToolsKnowledge.Services;

namespace McpPlatform.ToolsKnowledge.Tests;

/// <summary>The pure parts of tools-knowledge's input handling: query normalisation, content hashing.</summary>
public sealed class KnowledgeToolInputTests
{
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
