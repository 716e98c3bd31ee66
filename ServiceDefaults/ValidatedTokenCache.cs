using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Remembers access tokens that passed full validation, so an agent's next calls with the same
/// token skip the RS256 check and the JSON parsing (most of the cost of authentication here;
/// docs/benchmarks.md). Safe because the key is the exact token string, an entry ends at the
/// token's own expiry, an entry is only used with the same signing keys it was validated
/// against (a key rotation or revocation in the discovery document empties it in effect), and
/// every hit gets its own copy of the identity, so no request can alter another's claims.
/// Failed validations are never cached.
/// </summary>
/// <param name="inner">The handler that validates for real.</param>
/// <param name="time">The clock deciding expiry.</param>
/// <param name="capacity">Most tokens remembered; beyond it expired ones are dropped, then all.</param>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider time, int capacity = 10_000) : TokenHandler
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Tokens remembered now.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        if (_entries.TryGetValue(token, out var entry))
        {
            if (time.GetUtcNow() < entry.ExpiresAt && SameKeys(entry.Keys, validationParameters))
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    ClaimsIdentity = entry.Identity.Clone(),
                    SecurityToken = entry.Token,
                    Issuer = entry.Issuer,
                    TokenType = entry.TokenType,
                };
            }

            _entries.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.ClaimsIdentity is { } identity && result.SecurityToken is { } validated)
        {
            if (_entries.Count >= capacity)
            {
                Trim();
            }

            // The stored identity is never handed out itself: callers get clones.
            _entries[token] = new Entry(identity.Clone(), validated, result.Issuer, result.TokenType,
                new DateTimeOffset(DateTime.SpecifyKind(validated.ValidTo, DateTimeKind.Utc)), validationParameters.IssuerSigningKeys);
        }

        return result;
    }

    /// <inheritdoc />
    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private static bool SameKeys(IEnumerable<SecurityKey>? cached, TokenValidationParameters parameters) =>
        ReferenceEquals(cached, parameters.IssuerSigningKeys)
        || (cached is not null && parameters.IssuerSigningKeys is { } current && cached.SequenceEqual(current));

    private void Trim()
    {
        var now = time.GetUtcNow();
        foreach (var (token, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(token, out _);
            }
        }

        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }
    }

    private sealed record Entry(
        ClaimsIdentity Identity, SecurityToken Token, string? Issuer, string? TokenType, DateTimeOffset ExpiresAt, IEnumerable<SecurityKey>? Keys);

    /// <summary>The platform's inner handler: JSON web tokens with claim names as issued.</summary>
    /// <returns>The handler.</returns>
    public static TokenHandler CreateInner() => new JsonWebTokenHandler { MapInboundClaims = false };
}
