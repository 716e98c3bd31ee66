using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpPlatform.ServiceDefaults.Tests;

public sealed class ValidatedTokenCacheTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly CountingHandler _inner = new();

    public void Dispose() => _rsa.Dispose();

    [Fact]
    public async Task Validate_SameTokenTwice_ValidatesOnceAndGivesEachCallerItsOwnIdentity()
    {
        var cache = new ValidatedTokenCache(_inner, _clock);
        var key = new RsaSecurityKey(_rsa);
        var token = Token(key, "contoso");

        var first = await cache.ValidateTokenAsync(token, Parameters(key));
        first.ClaimsIdentity.AddClaim(new System.Security.Claims.Claim("injected", "by request one"));
        var second = await cache.ValidateTokenAsync(token, Parameters(key));

        first.IsValid.ShouldBeTrue();
        second.IsValid.ShouldBeTrue();
        _inner.Calls.ShouldBe(1);
        second.ClaimsIdentity.FindFirst("tenant_id")!.Value.ShouldBe("contoso");
        second.ClaimsIdentity.FindFirst("injected").ShouldBeNull("a request's changes must not reach another request");
        second.SecurityToken.ValidTo.ShouldBe(first.SecurityToken.ValidTo);
    }

    [Fact]
    public async Task Validate_AfterTheTokenExpires_RevalidatesAndRefuses()
    {
        var cache = new ValidatedTokenCache(_inner, _clock);
        var key = new RsaSecurityKey(_rsa);
        var token = Token(key, "contoso", lifetime: TimeSpan.FromMinutes(5));
        (await cache.ValidateTokenAsync(token, Parameters(key))).IsValid.ShouldBeTrue();

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var later = await cache.ValidateTokenAsync(token, Parameters(key, clockAt: _clock.GetUtcNow()));

        _inner.Calls.ShouldBe(2);
        later.IsValid.ShouldBeFalse();
    }

    [Fact]
    public async Task Validate_SigningKeysChanged_RevalidatesAgainstTheNewKeys()
    {
        var cache = new ValidatedTokenCache(_inner, _clock);
        var key = new RsaSecurityKey(_rsa);
        var token = Token(key, "contoso");
        (await cache.ValidateTokenAsync(token, Parameters(key))).IsValid.ShouldBeTrue();

        // The authority rotated (or revoked) the key: the discovery document no longer lists it.
        using var other = RSA.Create(2048);
        var rotated = await cache.ValidateTokenAsync(token, Parameters(new RsaSecurityKey(other)));

        _inner.Calls.ShouldBe(2);
        rotated.IsValid.ShouldBeFalse();
    }

    [Fact]
    public async Task Validate_TamperedOrInvalidToken_NeverServedFromCacheNorCached()
    {
        var cache = new ValidatedTokenCache(_inner, _clock);
        var key = new RsaSecurityKey(_rsa);
        var token = Token(key, "contoso");
        (await cache.ValidateTokenAsync(token, Parameters(key))).IsValid.ShouldBeTrue();

        var parts = token.Split('.');
        var forged = string.Join('.', parts[0], Base64UrlEncoder.Encode("""{"tenant_id":"fabrikam","sub":"x"}"""), parts[2]);
        (await cache.ValidateTokenAsync(forged, Parameters(key))).IsValid.ShouldBeFalse();
        (await cache.ValidateTokenAsync(forged, Parameters(key))).IsValid.ShouldBeFalse();

        _inner.Calls.ShouldBe(3);
        cache.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Validate_BeyondCapacity_StaysBounded()
    {
        var cache = new ValidatedTokenCache(_inner, _clock, capacity: 4);
        var key = new RsaSecurityKey(_rsa);
        for (var i = 0; i < 10; i++)
        {
            (await cache.ValidateTokenAsync(Token(key, $"tenant-{i}"), Parameters(key))).IsValid.ShouldBeTrue();
        }

        cache.Count.ShouldBeLessThanOrEqualTo(4);
    }

    private static string Token(SecurityKey key, string tenant, TimeSpan? lifetime = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "http://localhost:5100/",
        Audience = "http://localhost:5200/mcp",
        TokenType = "at+jwt",
        IssuedAt = Now.UtcDateTime,
        NotBefore = Now.UtcDateTime,
        Expires = (Now + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
        Claims = new Dictionary<string, object> { ["tenant_id"] = tenant, ["sub"] = "agent" },
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    private static TokenValidationParameters Parameters(SecurityKey key, DateTimeOffset? clockAt = null)
    {
        var at = clockAt ?? Now;
        return new TokenValidationParameters
        {
            ValidIssuer = "http://localhost:5100/",
            ValidAudience = "http://localhost:5200/mcp",
            IssuerSigningKeys = [key],
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.Zero,
            // The real handler reads the wall clock; pin its lifetime check to the test's clock.
            LifetimeValidator = (notBefore, expires, _, _) => notBefore <= at.UtcDateTime && at.UtcDateTime < expires,
        };
    }

    private sealed class CountingHandler : TokenHandler
    {
        private readonly TokenHandler _real = ValidatedTokenCache.CreateInner();

        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return _real.ValidateTokenAsync(token, validationParameters);
        }
    }
}
