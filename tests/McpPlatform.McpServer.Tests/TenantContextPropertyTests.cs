using System.Security.Claims;
using CsCheck;
using McpPlatform.Core;

namespace McpPlatform.McpServer.Tests;

/// <summary>
/// Generated client invocation ids against <see cref="TenantContext.TryCreate(ClaimsPrincipal, string?)"/>:
/// it never throws, and it accepts exactly the ids an audit record can carry, so no call gets a
/// context whose invocation id the audit pipeline would then refuse.
/// </summary>
public sealed class TenantContextPropertyTests
{
    private const int Samples = 2000;

    private static readonly ClaimsPrincipal s_caller = new(new ClaimsIdentity(
        [new Claim(PlatformClaims.TenantId, "tenant-a"), new Claim(PlatformClaims.Subject, "agent-1"), new Claim(PlatformClaims.PrincipalType, PrincipalTypes.Agent)],
        "test"));

    private static readonly Gen<string> s_idChar = Gen.Frequency(
        (8, Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['0', '9'], Gen.Const('.'), Gen.Const('_'), Gen.Const(':'), Gen.Const('-'))),
        (1, JsonGen.HostileChar),
        (1, Gen.OneOf(Gen.Const('\n'), Gen.Const('\r'), Gen.Const('\0'))))
        .Select(c => c.ToString());

    private static readonly Gen<string> s_id = Gen.Frequency(
        (10, s_idChar.Array[0, 140].Select(parts => string.Concat(parts))),
        // Valid ids with one trailing line break: a "$" anchor lets these through.
        (2, s_idChar.Array[1, 20].Select(parts => string.Concat(parts) + "\n")),
        (1, Gen.Int[100, 100_000].Select(length => new string('a', length))));

    [Fact]
    public void TryCreate_AnyInvocationId_AcceptsExactlyWhatAuditCanRecord()
    {
        s_id.Sample(id =>
        {
            var result = TenantContext.TryCreate(s_caller, id);

            if (AuditLimits.IsInvocationId(id))
            {
                result.Context.ShouldNotBeNull();
                result.Context.InvocationId.ShouldBe(id);
            }
            else
            {
                result.Context.ShouldBeNull(id);
                result.ErrorCode.ShouldBe("request.invocation_id_invalid");
                result.ErrorMessage.ShouldNotBeNull().ShouldNotContain(id.Length == 0 ? "\0" : id);
            }
        }, iter: Samples);
    }
}
