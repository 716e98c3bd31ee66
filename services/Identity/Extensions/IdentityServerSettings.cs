using McpPlatform.Core;

namespace McpPlatform.Identity.Extensions;

/// <summary>The <c>Identity</c> configuration section of the identity service.</summary>
public sealed class IdentityServerSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Identity";

    /// <summary>The issuer (<c>iss</c>); defaults to the fixed local identity URL.</summary>
    public Uri Issuer { get; set; } = new(PlatformServices.Identity.LocalOrigin + "/");

    /// <summary>Lifetime of user and agent access tokens (exchanged tokens are capped at 5 minutes).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of refresh tokens.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>PKCS#12 file with the token signing key (required outside Development).</summary>
    public CertificateSettings SigningCertificate { get; set; } = new();

    /// <summary>PKCS#12 file with the key that encrypts codes and refresh tokens (required outside Development).</summary>
    public CertificateSettings EncryptionCertificate { get; set; } = new();
}
