namespace McpPlatform.Identity.Extensions;

/// <summary>Where a certificate is loaded from.</summary>
public sealed class CertificateSettings
{
    public string? Path { get; set; }

    public string? Password { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Path);
}
