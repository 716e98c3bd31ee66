using System.Text.Json;
using McpPlatform.CollectorTenant.Apis;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.Core;

namespace McpPlatform.CollectorTenant.Tests;

public sealed class IngestRulesTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly AuditPolicyOptions s_policy = new()
    {
        Tenants = { [DemoDirectory.ContosoTenantId] = new TenantAuditPolicy() },
    };

    private static AuditRecord ToolCall() => new()
    {
        Id = Guid.CreateVersion7(s_now),
        OccurredAt = s_now,
        Kind = AuditKinds.ToolCall,
        TenantId = DemoDirectory.ContosoTenantId,
        AuditPartition = DemoDirectory.ContosoTenantId,
        PrincipalId = DemoDirectory.ContosoAgentClientId,
        PrincipalType = PrincipalTypes.Agent,
        InvocationId = "inv-1",
        Tool = "whoami",
        Outcome = AuditOutcomes.Success,
    };

    private static AuditRecord TokenExchange(string outcome = AuditOutcomes.Success, string? reasonCode = null) => ToolCall() with
    {
        Kind = AuditKinds.TokenExchange,
        Tool = null,
        Outcome = outcome,
        ReasonCode = reasonCode,
        Detail = JsonSerializer.SerializeToElement(new { actor = DemoDirectory.ToolsKnowledgeClientId, audience = PlatformServices.Downstream.LocalOrigin }),
    };

    private static AuditRecord ConnectionChange() => ToolCall() with
    {
        Kind = AuditKinds.ConnectionChange,
        PrincipalId = DemoDirectory.ContosoUserId,
        PrincipalType = PrincipalTypes.User,
        Tool = null,
        Detail = JsonSerializer.SerializeToElement(new { action = "created", connection = "partner", baseUrl = PlatformServices.Partner.LocalOrigin }),
    };

    [Theory]
    [InlineData(DemoDirectory.ToolsWorkspaceClientId)]
    [InlineData(DemoDirectory.ToolsKnowledgeClientId)]
    public void Check_ConnectionChangeFromAnMcpServer_IsAccepted(string sender)
    {
        IngestRules.Check(ConnectionChange(), sender, s_policy, s_now).ShouldBeNull();
    }

    [Theory]
    [InlineData(DemoDirectory.IdentityClientId)]
    [InlineData(DemoDirectory.SecretsClientId)]
    [InlineData("unknown")]
    public void Check_ConnectionChangeFromAnyoneButAnMcpServer_IsRefusedWithSenderCode(string sender)
    {
        var error = IngestRules.Check(ConnectionChange(), sender, s_policy, s_now).ShouldNotBeNull();

        error.Code.ShouldBe("record.kind_sender_forbidden");
        error.Message.ShouldContain(sender);
    }

    [Fact]
    public void Check_ConnectionChangeWithoutDetailOrWithArgumentsOrNotSuccess_IsRefused()
    {
        var sender = DemoDirectory.ToolsWorkspaceClientId;
        IngestRules.Check(ConnectionChange() with { Detail = null }, sender, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.detail_invalid");
        IngestRules.Check(ConnectionChange() with { ArgumentDigest = new string('a', 64) }, sender, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.arguments_forbidden");
        IngestRules.Check(ConnectionChange() with { Outcome = AuditOutcomes.Denied, ReasonCode = "x" }, sender, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.outcome_invalid");
    }

    [Fact]
    public void Check_ToolCallFromAnMcpServer_IsAccepted()
    {
        IngestRules.Check(ToolCall(), DemoDirectory.ToolsKnowledgeClientId, s_policy, s_now).ShouldBeNull();
    }

    [Theory]
    [InlineData(AuditOutcomes.Success, null)]
    [InlineData(AuditOutcomes.Denied, "invalid_grant")]
    public void Check_TokenExchangeFromIdentity_IsAccepted(string outcome, string? reasonCode)
    {
        IngestRules.Check(TokenExchange(outcome, reasonCode), DemoDirectory.IdentityClientId, s_policy, s_now).ShouldBeNull();
    }

    [Theory]
    [InlineData(DemoDirectory.ToolsKnowledgeClientId)]
    [InlineData(DemoDirectory.ToolsWorkspaceClientId)]
    [InlineData("unknown")]
    public void Check_TokenExchangeFromAnyoneButIdentity_IsRefusedWithSenderCode(string sender)
    {
        var error = IngestRules.Check(TokenExchange(), sender, s_policy, s_now).ShouldNotBeNull();

        error.Code.ShouldBe("record.kind_sender_forbidden");
        error.Message.ShouldContain(sender);
    }

    [Theory]
    [InlineData(AuditKinds.GrantRequested)]
    [InlineData(AuditKinds.GrantApproved)]
    [InlineData(AuditKinds.GrantUsed)]
    [InlineData("something_else")]
    public void Check_GrantOrUnknownKind_IsRefusedFromEveryone(string kind)
    {
        foreach (var sender in new[] { DemoDirectory.IdentityClientId, DemoDirectory.ToolsKnowledgeClientId })
        {
            IngestRules.Check(ToolCall() with { Kind = kind }, sender, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.kind_forbidden");
        }
    }

    [Fact]
    public void Check_IdentityClientIdFromPolicy_DecidesWhoMayWriteExchanges()
    {
        var policy = new AuditPolicyOptions { Tenants = s_policy.Tenants, IdentityClientId = "identity-eu" };

        IngestRules.Check(TokenExchange(), "identity-eu", policy, s_now).ShouldBeNull();
        IngestRules.Check(TokenExchange(), DemoDirectory.IdentityClientId, policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.kind_sender_forbidden");
    }

    [Fact]
    public void Check_ToolCallWithObjectDetail_IsAccepted()
    {
        IngestRules.Check(ToolCall() with { Detail = JsonSerializer.SerializeToElement(new { sandbox = new { ended = "ok" } }) },
            DemoDirectory.ToolsKnowledgeClientId, s_policy, s_now).ShouldBeNull();
    }

    [Fact]
    public void Check_ToolCallWithDetailNotAnObjectOrTooLarge_IsRefused()
    {
        IngestRules.Check(ToolCall() with { Detail = JsonSerializer.SerializeToElement("text") },
            DemoDirectory.ToolsKnowledgeClientId, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.detail_invalid");
        IngestRules.Check(ToolCall() with { Detail = JsonSerializer.SerializeToElement(new { big = new string('x', AuditLimits.MaxDetailBytes) }) },
            DemoDirectory.ToolsKnowledgeClientId, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.detail_invalid");
    }

    [Theory]
    [InlineData(AuditOutcomes.Error, null, "record.outcome_invalid")]
    [InlineData(AuditOutcomes.Failed, null, "record.outcome_invalid")]
    [InlineData(AuditOutcomes.Denied, null, "record.reason_code_invalid")]
    [InlineData(AuditOutcomes.Success, "invalid_grant", "record.reason_code_invalid")]
    public void Check_TokenExchangeWithInconsistentOutcome_IsRefused(string outcome, string? reasonCode, string code)
    {
        IngestRules.Check(TokenExchange(outcome, reasonCode), DemoDirectory.IdentityClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe(code);
    }

    [Fact]
    public void Check_TokenExchangeWithoutObjectDetailOrTooLarge_IsRefused()
    {
        IngestRules.Check(TokenExchange() with { Detail = null }, DemoDirectory.IdentityClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.detail_invalid");
        IngestRules.Check(TokenExchange() with { Detail = JsonSerializer.SerializeToElement("text") }, DemoDirectory.IdentityClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.detail_invalid");
        var large = JsonSerializer.SerializeToElement(new { actor = new string('a', AuditLimits.MaxDetailBytes) });
        IngestRules.Check(TokenExchange() with { Detail = large }, DemoDirectory.IdentityClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.detail_invalid");
    }

    [Fact]
    public void Check_TokenExchangeForUnknownTenant_IsRefusedLikeAnyRecord()
    {
        IngestRules.Check(TokenExchange() with { TenantId = "no-such-tenant", AuditPartition = "no-such-tenant" },
            DemoDirectory.IdentityClientId, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("audit.tenant_unknown");
    }
}
