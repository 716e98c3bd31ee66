namespace McpPlatform.Core;

/// <summary>Values of <see cref="AuditRecord.Outcome"/>.</summary>
public static class AuditOutcomes
{
    /// <summary>The tool ran and returned a result; or identity granted a token exchange.</summary>
    public const string Success = "success";

    /// <summary>The tool ran and returned an error result.</summary>
    public const string Error = "error";

    /// <summary>Admission (quota) refused the call and the tool did not run; or identity refused a token exchange.</summary>
    public const string Denied = "denied";

    /// <summary>The tool threw.</summary>
    public const string Failed = "failed";

    /// <summary>The caller went away before the call finished.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every outcome.</summary>
    public static readonly IReadOnlyList<string> All = [Success, Error, Denied, Failed, Cancelled];
}
