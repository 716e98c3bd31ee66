using System.Text.Json;
using CsCheck;
using McpPlatform.CollectorTenant.Apis;
using McpPlatform.CollectorTenant.Extensions;
using McpPlatform.Core;

namespace McpPlatform.CollectorTenant.Tests;

/// <summary>
/// Generated records (NUL and other controls, lone surrogates, trailing line breaks, huge numbers,
/// very long values, any kind from any sender) against <see cref="IngestRules.Check"/>, which
/// guards every row written to a tenant's trail: it never throws, refuses with a documented code,
/// and whatever it accepts has the documented shape.
/// </summary>
public sealed class IngestRulesPropertyTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly AuditPolicyOptions s_policy = new()
    {
        AcceptUnknownTenants = true,
    };

    private static readonly Gen<char> s_char = Gen.Frequency(
        (8, Gen.OneOf(Gen.Char['a', 'f'], Gen.Char['0', '9'], Gen.Const('-'), Gen.Const('.'), Gen.Const(':'))),
        (1, Gen.OneOf(Gen.Char['\0', '\u001f'], Gen.Const('\u007f'), Gen.Char['\ud800', '\udfff'], Gen.Const(' '), Gen.Const('\n'))),
        (1, Gen.Char));

    private static readonly Gen<string> s_text = Gen.Frequency(
        (10, s_char.Array[0, 80].Select(chars => new string(chars))),
        // Right-looking values with one trailing line break: a "$" anchor lets these through.
        (3, Gen.Char['0', '9'].Array[32].Select(chars => new string(chars) + "\n")),
        (1, Gen.Char['a', 'f'].Array[64].Select(chars => new string(chars) + "\n")),
        (1, Gen.Int[200, 5_000].Select(length => new string('a', length))));

    private static readonly Gen<string?> s_optional = Gen.Frequency((1, Any(new string?[] { null })), (4, s_text.Select(t => (string?)t)));

    private static readonly Gen<string> s_kind = Gen.OneOf(Any([.. AuditKinds.All]), s_text);
    private static readonly Gen<string> s_sender = Gen.OneOf(
        Any(DemoDirectory.IdentityClientId, DemoDirectory.ToolsKnowledgeClientId, DemoDirectory.ToolsWorkspaceClientId), s_text);

    private static readonly Gen<AuditRecord> s_record =
        Gen.Select(s_kind, s_text, s_text, s_text, Any(PrincipalTypes.User, PrincipalTypes.Agent, "robot"), s_text, s_optional, s_optional)
        .Select(Gen.OneOf(Any([.. AuditOutcomes.All]), s_text), s_optional, s_optional, s_optional,
            Gen.OneOf(Gen.Long, Gen.Long[0, 1000]), Gen.OneOf(Gen.Double, Gen.Double[0, 1000]),
            (fields, outcome, reason, trace, digest, tokens, duration) => new AuditRecord
            {
                Id = Guid.CreateVersion7(s_now),
                OccurredAt = s_now,
                Kind = fields.Item1,
                TenantId = fields.Item2,
                AuditPartition = fields.Item3,
                PrincipalId = fields.Item4,
                PrincipalType = fields.Item5,
                InvocationId = fields.Item6,
                Tool = fields.Item7,
                Outcome = outcome,
                ReasonCode = reason,
                TraceId = trace,
                ArgumentDigest = digest ?? fields.Item8,
                UsageTokens = tokens,
                DurationMs = duration,
                Detail = fields.Item1 == AuditKinds.ToolCall ? null : JsonSerializer.SerializeToElement(new { actor = "x" }),
            });

    private static AuditRecord Valid() => new()
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

    private static Gen<T> Any<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    // A valid tool-call record with one field replaced by a generated value: whether it is accepted
    // then depends on that field alone, so the shape rules are exercised one at a time.
    private static readonly Gen<AuditRecord> s_oneFieldChanged = Gen.Select(Gen.Int[0, 8], s_text).Select((field, value) => field switch
    {
        0 => Valid() with { TenantId = value },
        1 => Valid() with { AuditPartition = value },
        2 => Valid() with { PrincipalId = value },
        3 => Valid() with { InvocationId = value },
        4 => Valid() with { Tool = value },
        5 => Valid() with { Outcome = AuditOutcomes.Denied, ReasonCode = value },
        6 => Valid() with { TraceId = value },
        7 => Valid() with { ArgumentDigest = value },
        _ => Valid() with { Kind = value },
    });

    [Fact]
    public void Check_AnyRecordFromAnySender_NeverThrows_AndAcceptsOnlyTheDocumentedShape() =>
        Gen.Select(Gen.OneOf(s_record, s_oneFieldChanged), s_sender).Sample((record, sender) =>
        {
            var refusal = IngestRules.Check(record, sender, s_policy, s_now);
            if (refusal is { } error)
            {
                error.Code.ShouldMatch(@"^(record|audit)\.[a-z_]+\z");
                error.Message.ShouldNotBeNullOrWhiteSpace();
                return;
            }

            string?[] texts = [record.TenantId, record.AuditPartition, record.PrincipalId, record.InvocationId, record.Tool, record.ReasonCode];
            texts.Where(t => t is not null).ShouldAllBe(t => t!.Length > 0 && !t.Any(char.IsControl), record.ToString());
            record.InvocationId.ShouldMatch(@"^[A-Za-z0-9._:-]+\z");
            (record.TraceId is null || (record.TraceId.Length == 32 && record.TraceId.All(char.IsAsciiHexDigitLower))).ShouldBeTrue(record.TraceId);
            (record.ArgumentDigest is null || (record.ArgumentDigest.Length == 64 && record.ArgumentDigest.All(char.IsAsciiHexDigitLower))).ShouldBeTrue(record.ArgumentDigest);
            record.UsageTokens.ShouldBeGreaterThanOrEqualTo(0);
            double.IsFinite(record.DurationMs).ShouldBeTrue();
        }, iter: 5000);

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef\n", null)]
    [InlineData(null, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n")]
    public void Check_HexIdsWithATrailingLineBreak_AreRefused(string? traceId, string? digest)
    {
        var record = Valid() with { TraceId = traceId, ArgumentDigest = digest };

        IngestRules.Check(record, DemoDirectory.ToolsKnowledgeClientId, s_policy, s_now).ShouldNotBeNull().Code
            .ShouldBe(traceId is null ? "record.argument_digest_invalid" : "record.trace_id_invalid");
    }
}
