namespace McpPlatform.Secrets.Apis;

/// <summary>Why an input is refused: the problem code, the field at fault and a sentence that never echoes the value.</summary>
/// <param name="Code">The problem code (<c>request.invalid</c> or <c>request.invalid_text</c>).</param>
/// <param name="Field">The field at fault.</param>
/// <param name="Message">What is wrong, for a human.</param>
internal sealed record RuleError(string Code, string Field, string Message);
