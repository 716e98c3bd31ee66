namespace McpPlatform.Knowledge.Store;

/// <summary>Why an input breaks a <see cref="KnowledgeInputRules"/> rule, as a tool reports it.</summary>
/// <param name="Code">The reason code (<see cref="Core.ToolErrorCodes"/>).</param>
/// <param name="Message">A sentence naming the argument; it never echoes the argument's value.</param>
public sealed record KnowledgeInputError(string Code, string Message);
