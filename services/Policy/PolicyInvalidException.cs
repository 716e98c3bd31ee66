namespace McpPlatform.Policy;

/// <summary>
/// Thrown at start only, when the document is invalid: the service must not run without a policy,
/// so it stops, and the message lists every error. Never reaches a client.
/// </summary>
public sealed class PolicyInvalidException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public PolicyInvalidException()
    {
        Errors = [];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public PolicyInvalidException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PolicyInvalidException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception for a refused document.</summary>
    /// <param name="path">The document's path.</param>
    /// <param name="errors">Every error.</param>
    public PolicyInvalidException(string path, IReadOnlyList<PolicyError> errors)
        : base(Describe(path, errors))
    {
        Errors = errors;
    }

    /// <summary>Every error of the refused document.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    private static string Describe(string path, IReadOnlyList<PolicyError> errors) =>
        $"The policy document {path} is invalid ({errors.Count} error(s)); the service does not start without a valid policy (docs/policy.md):"
        + string.Concat(errors.Select(error => Environment.NewLine + "  " + error));
}
