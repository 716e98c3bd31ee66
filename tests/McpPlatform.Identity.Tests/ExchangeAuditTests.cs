using System.Diagnostics.Metrics;
using McpPlatform.Audit;
using McpPlatform.Core;
using McpPlatform.Identity.Data;
using McpPlatform.Identity.Exchange;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace McpPlatform.Identity.Tests;

public sealed class ExchangeAuditTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    // tools-knowledge exchanging contoso-agent's token (sent to it) for the downstream API.
    private static ExchangeFacts Facts() => new()
    {
        ClientId = DemoDirectory.ToolsKnowledgeClientId,
        ClientKind = ClientKinds.ResourceServer,
        ClientResource = PlatformResources.ToolsKnowledge.Uri,
        AllowedTargets = [PlatformResources.Downstream.Uri],
        RequestedTargets = [PlatformResources.Downstream.Uri],
        RequestedScopes = [PlatformScopes.DownstreamApi],
        SubjectTokenType = TokenExchange.AccessTokenType,
        InvocationId = "inv-42",
        SubjectAudiences = [PlatformResources.ToolsKnowledge.Uri],
        SubjectTenantId = DemoDirectory.ContosoTenantId,
        SubjectSubject = DemoDirectory.ContosoAgentClientId,
        SubjectPrincipalType = PrincipalTypes.Agent,
        SubjectAuditPartition = "contoso-audit",
    };

    [Fact]
    public void Build_Granted_IsSuccessRecordInSubjectTenantWithActorAudienceAndScope()
    {
        var facts = Facts();
        var record = ExchangeAudit.Build(facts, ExchangeRules.Evaluate(facts), TraceId, s_now).ShouldNotBeNull();

        record.Kind.ShouldBe(AuditKinds.TokenExchange);
        record.Id.Version.ShouldBe(7);
        record.OccurredAt.ShouldBe(s_now);
        record.TenantId.ShouldBe(DemoDirectory.ContosoTenantId);
        record.AuditPartition.ShouldBe("contoso-audit");
        record.PrincipalId.ShouldBe(DemoDirectory.ContosoAgentClientId);
        record.PrincipalType.ShouldBe(PrincipalTypes.Agent);
        record.InvocationId.ShouldBe("inv-42");
        record.Outcome.ShouldBe(AuditOutcomes.Success);
        record.ReasonCode.ShouldBeNull();
        record.TraceId.ShouldBe(TraceId);
        record.Tool.ShouldBeNull();
        record.Server.ShouldBeNull();
        var detail = record.Detail.ShouldNotBeNull();
        detail.GetProperty("actor").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
        detail.GetProperty("audience").GetString().ShouldBe(PlatformResources.Downstream.Uri);
        detail.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe([PlatformScopes.DownstreamApi]);
        detail.GetProperty("lifetimeSeconds").GetInt32().ShouldBe((int)TokenExchange.MaxLifetime.TotalSeconds);
    }

    [Fact]
    public void Build_RefusedByActorChainDepth_IsDeniedWithOAuthErrorAndEarlierActors()
    {
        var facts = Facts() with { SubjectActor = """{"sub":"tools-workspace","act":{"sub":"tools-knowledge"}}""" };
        var decision = ExchangeRules.Evaluate(facts);
        decision.IsAllowed.ShouldBeFalse();

        var record = ExchangeAudit.Build(facts, decision, TraceId, s_now).ShouldNotBeNull();

        record.Outcome.ShouldBe(AuditOutcomes.Denied);
        record.ReasonCode.ShouldBe(Errors.InvalidGrant);
        record.TenantId.ShouldBe(DemoDirectory.ContosoTenantId);
        var detail = record.Detail.ShouldNotBeNull();
        detail.GetProperty("actor").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
        detail.GetProperty("earlierActors").EnumerateArray().Select(a => a.GetString()).ShouldBe(["tools-workspace", "tools-knowledge"]);
        detail.GetProperty("requestedAudiences").EnumerateArray().Select(a => a.GetString()).ShouldBe([PlatformResources.Downstream.Uri]);
        detail.GetProperty("description").GetString()!.ShouldContain("actor chain");
        detail.TryGetProperty("audience", out _).ShouldBeFalse();
    }

    [Fact]
    public void Build_RefusedForMissingInvocationId_StillInTenantTrailWithAnAcceptableId()
    {
        var facts = Facts() with { InvocationId = "not valid; has spaces" };
        var record = ExchangeAudit.Build(facts, ExchangeDecision.Deny(Errors.InvalidRequest, "bad invocation id"), TraceId, s_now).ShouldNotBeNull();

        record.ReasonCode.ShouldBe(Errors.InvalidRequest);
        AuditLimits.IsInvocationId(record.InvocationId).ShouldBeTrue();
        record.InvocationId.ShouldStartWith("exchange-");
        record.Detail!.Value.GetProperty("invocationIdInvalid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void Build_HugeRequestValues_DetailStaysWithinTheCollectorsLimit()
    {
        var junk = new string('<', 500);
        var facts = Facts() with { RequestedTargets = [junk, junk + "1", junk + "2", junk + "3", junk + "4"], RequestedScopes = [junk, junk + "x"] };
        var record = ExchangeAudit.Build(facts, ExchangeDecision.Deny(Errors.InvalidTarget, "Exactly one audience."), TraceId, s_now).ShouldNotBeNull();

        record.Detail!.Value.GetRawText().Length.ShouldBeLessThanOrEqualTo(AuditLimits.MaxDetailBytes);
        record.Detail!.Value.GetProperty("actor").GetString().ShouldBe(DemoDirectory.ToolsKnowledgeClientId);
    }

    [Theory]
    [InlineData(null, DemoDirectory.ContosoAgentClientId, PrincipalTypes.Agent)]
    [InlineData(DemoDirectory.ContosoTenantId, null, PrincipalTypes.Agent)]
    [InlineData(DemoDirectory.ContosoTenantId, DemoDirectory.ContosoAgentClientId, null)]
    [InlineData(DemoDirectory.ContosoTenantId, DemoDirectory.ContosoAgentClientId, "operator")]
    public void Build_SubjectWithoutTenantPrincipal_IsNoRecord(string? tenant, string? subject, string? principalType)
    {
        var facts = Facts() with { SubjectTenantId = tenant, SubjectSubject = subject, SubjectPrincipalType = principalType };

        ExchangeAudit.Build(facts, ExchangeRules.Evaluate(facts), TraceId, s_now).ShouldBeNull();
    }

    [Fact]
    public async Task Record_GrantedAndRefused_QueuesRecords_UnvalidatedSubjectOnlyCounted()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var emitter = new AuditEmitter(Options.Create(new AuditOptions { Durability = AuditDurability.Batched }), meters, NullLogger<AuditEmitter>.Instance);
        var audit = new ExchangeAudit(emitter, meters, TimeProvider.System);
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name is AuditEmitter.MeterName or ExchangeAudit.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = tags.ToArray().FirstOrDefault(t => t.Key == "reason").Value;
            var key = instrument.Name + (reason is null ? string.Empty : "/" + reason);
            counts[key] = counts.GetValueOrDefault(key) + value;
        });
        listener.Start();

        var facts = Facts();
        (await audit.RecordAsync(facts, ExchangeRules.Evaluate(facts), transaction: null)).ShouldBeTrue();
        (await audit.RecordAsync(facts, ExchangeDecision.Deny(Errors.InvalidTarget, "no"), transaction: null)).ShouldBeTrue();
        var unvalidated = facts with { SubjectTenantId = null, SubjectSubject = null, SubjectPrincipalType = null, SubjectAudiences = [] };
        (await audit.RecordAsync(unvalidated, ExchangeDecision.Deny(Errors.InvalidGrant, "The subject token is not valid."), transaction: null)).ShouldBeFalse();

        counts.GetValueOrDefault("mcpplatform.audit.emitted").ShouldBe(2);
        counts.GetValueOrDefault(ExchangeAudit.UnauditedInstrument + "/" + Errors.InvalidGrant).ShouldBe(1);
    }

    [Fact]
    public void Build_Granted_DetailHoldsOnlyTheListedFacts()
    {
        // What a tenant's trail gets about an exchange is a reviewed list: a new fact is a decision.
        var facts = Facts();
        var record = ExchangeAudit.Build(facts, ExchangeRules.Evaluate(facts), TraceId, s_now).ShouldNotBeNull();

        record.Detail!.Value.EnumerateObject().Select(p => p.Name)
            .ShouldBe(["actor", "subjectAudiences", "audience", "scopes", "lifetimeSeconds"], ignoreOrder: true);
        record.Arguments.ShouldBeNull();
        record.ArgumentDigest.ShouldBeNull();
    }
}
