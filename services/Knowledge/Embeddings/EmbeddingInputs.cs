namespace McpPlatform.Knowledge.Embeddings;

/// <summary>The input rules every provider enforces before any work: no null, empty or over-long input.</summary>
internal static class EmbeddingInputs
{
    public static IReadOnlyList<string> Validate(IEnumerable<string> values, int maxCharacters, int maxInputs)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? values.ToArray();
        if (inputs.Count == 0)
        {
            throw new ArgumentException("No inputs to embed.", nameof(values));
        }

        if (inputs.Count > maxInputs)
        {
            throw new ArgumentException($"{inputs.Count} inputs in one call; at most {maxInputs}.", nameof(values));
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            ValidateOne(inputs[i], i, maxCharacters);
        }

        return inputs;
    }

    public static void ValidateOne(string? value, int index, int maxCharacters)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"Input {index} is null, empty or only white space.", nameof(value));
        }

        if (value.Length > maxCharacters)
        {
            throw new ArgumentException(
                $"Input {index} is {value.Length} characters; at most {maxCharacters} are embedded at once (chunk longer text first).", nameof(value));
        }
    }
}
