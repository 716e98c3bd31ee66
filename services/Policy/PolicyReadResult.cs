using McpPlatform.Policy.Model;

namespace McpPlatform.Policy;

/// <summary>
/// What reading a policy document gave: the policy and its effective version, or every error
/// found. Never both: a document with any error is refused as a whole.
/// </summary>
/// <param name="Policy">The policy, when the document is valid.</param>
/// <param name="Version">The effective version, <c>&lt;version&gt;-&lt;8 hex digits of the content's SHA-256&gt;</c>, when valid.</param>
/// <param name="Errors">Every error found; empty when valid.</param>
public sealed record PolicyReadResult(PlatformPolicy? Policy, string? Version, IReadOnlyList<PolicyError> Errors)
{
    /// <summary>True when the document can be applied.</summary>
    public bool IsValid => Policy is not null && Errors.Count == 0;

    /// <summary>A refusal with these errors.</summary>
    /// <param name="errors">The errors (at least one).</param>
    /// <returns>The result.</returns>
    public static PolicyReadResult Refused(IReadOnlyList<PolicyError> errors) => new(null, null, errors);
}
