namespace McpPlatform.Policy.Model;

/// <summary>Which server tools may read which secret names, and where connections may connect.</summary>
public sealed class CredentialsPolicy
{
    /// <summary>Secret names and their readers.</summary>
    public List<SecretReaders> Secrets { get; set; } = [];

    /// <summary>The egress allow-list.</summary>
    public EgressPolicy? Egress { get; set; }
}
