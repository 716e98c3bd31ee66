namespace McpPlatform.Policy;

/// <summary>One reason a policy document is refused.</summary>
/// <param name="Path">Where, as a JSON path into the document (<c>$.tiers.standard.tenantConcurrency</c>).</param>
/// <param name="Rule">Which rule: <c>schema.&lt;keyword&gt;</c>, <c>yaml.syntax</c>, <c>tier.unknown</c>, … (docs/policy.md).</param>
/// <param name="Message">What is wrong, for the document's author.</param>
public sealed record PolicyError(string Path, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: [{Rule}] {Message}";
}
