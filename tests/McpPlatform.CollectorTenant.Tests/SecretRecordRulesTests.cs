using System.Text.Json;
using McpPlatform.CollectorTenant.Apis;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.Core;

namespace McpPlatform.CollectorTenant.Tests;

/// <summary>secret_read and secret_change records: from the secrets service's client only, and in their shape.</summary>
public sealed class SecretRecordRulesTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    private static readonly AuditPolicyOptions s_policy = new()
    {
        Tenants = { [DemoDirectory.ContosoTenantId] = new TenantAuditPolicy() },
    };

    private static AuditRecord SecretRead(string outcome = AuditOutcomes.Success, string? reasonCode = null) => new()
    {
        Id = Guid.CreateVersion7(s_now),
        OccurredAt = s_now,
        Kind = AuditKinds.SecretRead,
        TenantId = DemoDirectory.ContosoTenantId,
        AuditPartition = DemoDirectory.ContosoTenantId,
        PrincipalId = DemoDirectory.ContosoAgentClientId,
        PrincipalType = PrincipalTypes.Agent,
        InvocationId = "inv-1",
        Tool = "call_connection",
        Outcome = outcome,
        ReasonCode = reasonCode,
        Detail = JsonSerializer.SerializeToElement(new { secret = DemoDirectory.PartnerSecretName, actor = DemoDirectory.ToolsWorkspaceClientId }),
    };

    private static AuditRecord SecretChange() => SecretRead() with
    {
        Kind = AuditKinds.SecretChange,
        PrincipalId = DemoDirectory.ContosoUserId,
        PrincipalType = PrincipalTypes.User,
        InvocationId = "secret-change-1",
        Tool = null,
        Detail = JsonSerializer.SerializeToElement(new { secret = DemoDirectory.PartnerSecretName, action = "rotated", version = 2 }),
    };

    [Theory]
    [InlineData(AuditOutcomes.Success, null)]
    [InlineData(AuditOutcomes.Denied, SecretErrorCodes.Denied)]
    [InlineData(AuditOutcomes.Denied, SecretErrorCodes.NotFound)]
    public void Check_SecretReadFromSecretsClient_IsAccepted(string outcome, string? reasonCode)
    {
        IngestRules.Check(SecretRead(outcome, reasonCode), DemoDirectory.SecretsClientId, s_policy, s_now).ShouldBeNull();
    }

    [Fact]
    public void Check_SecretChangeFromSecretsClient_IsAccepted()
    {
        IngestRules.Check(SecretChange(), DemoDirectory.SecretsClientId, s_policy, s_now).ShouldBeNull();
    }

    [Theory]
    [InlineData(DemoDirectory.IdentityClientId)]
    [InlineData(DemoDirectory.ToolsKnowledgeClientId)]
    [InlineData(DemoDirectory.ToolsWorkspaceClientId)]
    [InlineData("secrets-impostor")]
    public void Check_SecretRecordsFromAnyoneButSecrets_AreRefusedWithSenderCode(string sender)
    {
        IngestRules.Check(SecretRead(), sender, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.kind_sender_forbidden");
        IngestRules.Check(SecretChange(), sender, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.kind_sender_forbidden");
    }

    [Fact]
    public void Check_SecretsClientIdFromPolicy_DecidesWhoMayWriteThem()
    {
        var policy = new AuditPolicyOptions { Tenants = s_policy.Tenants, SecretsClientId = "secrets-eu" };

        IngestRules.Check(SecretRead(), "secrets-eu", policy, s_now).ShouldBeNull();
        IngestRules.Check(SecretRead(), DemoDirectory.SecretsClientId, policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.kind_sender_forbidden");
    }

    [Fact]
    public void Check_SecretsClient_MayNotWriteTokenExchanges()
    {
        var exchange = SecretRead() with { Kind = AuditKinds.TokenExchange, Tool = null };

        IngestRules.Check(exchange, DemoDirectory.SecretsClientId, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("record.kind_sender_forbidden");
    }

    [Theory]
    [InlineData(AuditOutcomes.Denied, null, "record.reason_code_invalid")]
    [InlineData(AuditOutcomes.Success, SecretErrorCodes.Denied, "record.reason_code_invalid")]
    [InlineData(AuditOutcomes.Failed, null, "record.outcome_invalid")]
    public void Check_SecretReadWithInconsistentOutcome_IsRefused(string outcome, string? reasonCode, string code)
    {
        IngestRules.Check(SecretRead(outcome, reasonCode), DemoDirectory.SecretsClientId, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe(code);
    }

    [Fact]
    public void Check_SecretReadWithoutToolDetailOrWithArguments_IsRefused()
    {
        IngestRules.Check(SecretRead() with { Tool = null }, DemoDirectory.SecretsClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.tool_invalid");
        IngestRules.Check(SecretRead() with { Detail = null }, DemoDirectory.SecretsClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.detail_invalid");
        IngestRules.Check(SecretRead() with { ArgumentDigest = new string('a', 64) }, DemoDirectory.SecretsClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.arguments_forbidden");
    }

    [Fact]
    public void Check_SecretChangeDeniedOrWithTool_IsRefused()
    {
        IngestRules.Check(SecretChange() with { Outcome = AuditOutcomes.Denied, ReasonCode = SecretErrorCodes.Denied }, DemoDirectory.SecretsClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.outcome_invalid");
        IngestRules.Check(SecretChange() with { Tool = "call_connection" }, DemoDirectory.SecretsClientId, s_policy, s_now)
            .ShouldNotBeNull().Code.ShouldBe("record.tool_invalid");
    }

    [Fact]
    public void Check_SecretReadForUnknownTenant_IsRefusedLikeAnyRecord()
    {
        IngestRules.Check(SecretRead() with { TenantId = DemoDirectory.FabrikamTenantId, AuditPartition = DemoDirectory.FabrikamTenantId },
            DemoDirectory.SecretsClientId, s_policy, s_now).ShouldNotBeNull().Code.ShouldBe("audit.tenant_unknown");
    }
}
