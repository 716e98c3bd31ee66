using McpPlatform.Policy.Model;

namespace McpPlatform.Policy;

/// <summary>
/// A rule a service that enforces a section adds to the document's validation (e.g. identity: the
/// tenancy must match the pin; quota: limits it can apply). Runs once the schema passed, beside the
/// shared rules; any error refuses the document as a whole, at start and on every reload.
/// </summary>
public interface IPolicyCheck
{
    /// <summary>Every problem this service has with <paramref name="candidate"/>.</summary>
    /// <param name="candidate">The document about to be applied.</param>
    /// <param name="current">The document in force, or null at start.</param>
    /// <returns>Errors; empty when the service can apply the document.</returns>
    IEnumerable<PolicyError> Check(PlatformPolicy candidate, PlatformPolicy? current);
}
