using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Caching;

/// <summary>Fails the host's start with every problem of <see cref="TenantCacheOptions"/> spelled out.</summary>
internal sealed class TenantCacheOptionsValidator : IValidateOptions<TenantCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantCacheOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
