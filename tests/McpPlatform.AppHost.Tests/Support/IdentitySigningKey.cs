using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Support;

/// <summary>
/// Signs tokens with the identity service's own development signing key (OpenIddict keeps it in
/// the current user's certificate store), so a test can change exactly one property of an
/// otherwise valid token — expiry, tenant, scope — and see the resource server refuse it for
/// that property alone, not for a bad signature.
/// </summary>
internal sealed class IdentitySigningKey : IDisposable
{
    private const string SubjectName = "CN=OpenIddict Server Signing Certificate";
    private readonly X509Certificate2 _certificate;
    private readonly string _keyId;

    private IdentitySigningKey(X509Certificate2 certificate, string keyId)
    {
        _certificate = certificate;
        _keyId = keyId;
    }

    /// <summary>Loads the key that matches a key the identity service publishes in its JWKS.</summary>
    public static async Task<IdentitySigningKey> LoadAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var discovery = JsonDocument.Parse(await http.GetStringAsync(
            new Uri(PlatformServices.Identity.LocalUrl, ".well-known/openid-configuration"), cancellationToken));
        using var jwks = JsonDocument.Parse(await http.GetStringAsync(
            discovery.RootElement.GetProperty("jwks_uri").GetString(), cancellationToken));
        var published = jwks.RootElement.GetProperty("keys").EnumerateArray()
            .Where(k => k.GetProperty("kty").GetString() == "RSA")
            .Select(k => (Kid: k.GetProperty("kid").GetString()!, Modulus: k.GetProperty("n").GetString()!))
            .ToList();

        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly);
        foreach (var certificate in store.Certificates.Find(X509FindType.FindBySubjectDistinguishedName, SubjectName, validOnly: false))
        {
            using var rsa = certificate.GetRSAPrivateKey();
            if (rsa is null)
            {
                continue;
            }

            var modulus = PlatformTokens.Base64Url(rsa.ExportParameters(false).Modulus!);
            var match = published.FirstOrDefault(k => k.Modulus == modulus);
            if (match.Kid is not null)
            {
                return new IdentitySigningKey(certificate, match.Kid);
            }
        }

        throw new InvalidOperationException(
            $"No certificate '{SubjectName}' with a private key matching the identity service's JWKS in the current user's store.");
    }

    /// <summary>Signs <paramref name="payload"/> as the identity service would (RS256, at+jwt).</summary>
    public string Sign(JsonObject payload)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "at+jwt", ["kid"] = _keyId };
        var signingInput = $"{PlatformTokens.Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{PlatformTokens.Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        using var rsa = _certificate.GetRSAPrivateKey()!;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{PlatformTokens.Base64Url(signature)}";
    }

    /// <summary>A payload shaped like the identity service's token for the contoso agent at tools-knowledge.</summary>
    public static JsonObject ContosoAgentPayload(string issuer, DateTimeOffset now) => new()
    {
        ["iss"] = issuer,
        ["aud"] = PlatformServices.ToolsKnowledge.LocalMcpResource,
        ["sub"] = DemoDirectory.ContosoAgentClientId,
        ["client_id"] = DemoDirectory.ContosoAgentClientId,
        [PlatformClaims.TenantId] = DemoDirectory.ContosoTenantId,
        [PlatformClaims.PrincipalType] = PrincipalTypes.Agent,
        [PlatformClaims.Scope] = PlatformScopes.McpTools,
        ["jti"] = Guid.NewGuid().ToString(),
        ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
        ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
    };

    public void Dispose() => _certificate.Dispose();

}
