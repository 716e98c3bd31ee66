using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace McpPlatform.Policy;

/// <summary>Tells <see cref="IOptionsMonitor{TOptions}"/> of <typeparamref name="TOptions"/> that a new policy version was applied.</summary>
/// <typeparam name="TOptions">Options mapped from the policy document.</typeparam>
public sealed class PolicyChangeTokenSource<TOptions>(PolicySource source) : IOptionsChangeTokenSource<TOptions>
{
    /// <inheritdoc />
    public string? Name => Options.DefaultName;

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => source.GetChangeToken();
}
