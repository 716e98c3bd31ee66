using System.Text.RegularExpressions;
using McpPlatform.Core;
using McpPlatform.Core.Quota;
using McpPlatform.Quota.Engine;

namespace McpPlatform.Quota.Apis;

/// <summary>Turns wire requests into engine input, naming every invalid field.</summary>
public static partial class AdmissionValidation
{
    /// <summary>Longest tool name accepted.</summary>
    public const int MaxToolLength = 128;

    /// <summary>Validates an admit request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="policy">The policy (known tools, per-call maxima).</param>
    /// <param name="input">The engine input when valid.</param>
    /// <param name="errors">Field errors when not.</param>
    /// <returns>True when valid.</returns>
    public static bool TryValidate(AdmitRequest request, QuotaPolicy policy, out AdmissionInput input, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        input = default;
        var tenant = request.Tenant;
        if (tenant is null)
        {
            errors["tenant"] = ["tenant is required: the tenant context built from the caller's validated token."];
        }
        else
        {
            CheckId(errors, "tenant.tenantId", tenant.TenantId);
            CheckId(errors, "tenant.principalId", tenant.PrincipalId);
            CheckId(errors, "tenant.quotaPartition", tenant.QuotaPartition);
            if (tenant.PrincipalType is not (PrincipalTypes.User or PrincipalTypes.Agent))
            {
                errors["tenant.principalType"] = ["principalType must be 'user' or 'agent'."];
            }

            if (tenant.InvocationId is not { Length: > 0 and <= TenantContext.MaxInvocationIdLength } || !InvocationIdShape().IsMatch(tenant.InvocationId))
            {
                errors["tenant.invocationId"] = [$"invocationId must be 1-{TenantContext.MaxInvocationIdLength} characters of letters, digits, '.', '_', ':' or '-'."];
            }
        }

        if (string.IsNullOrEmpty(request.Tool))
        {
            errors["tool"] = ["tool is required."];
        }
        else if (request.Tool.Length > MaxToolLength || !ToolShape().IsMatch(request.Tool))
        {
            errors["tool"] = [$"tool must be 1-{MaxToolLength} characters of letters, digits, '_', '-', '.' or '/'."];
        }
        else if (!policy.IsKnownTool(request.Tool))
        {
            errors["tool"] = [$"Unknown tool '{request.Tool}': the quota policy admits only {string.Join(", ", policy.Options.Tools)}."];
        }

        if (request.Estimate is null)
        {
            errors["estimate"] = ["estimate is required ({\"tokens\": n, \"cost\": n}; zeros for a tool that uses neither)."];
        }
        else
        {
            CheckUsage(errors, "estimate", request.Estimate, policy.Options);
        }

        if (errors.Count > 0)
        {
            return false;
        }

        input = new AdmissionInput(tenant!.TenantId!, tenant.PrincipalId!, tenant.QuotaPartition!, request.Tool!,
            request.Estimate!.Tokens, QuotaUnits.ToMicros(request.Estimate.Cost));
        return true;
    }

    /// <summary>Checks a usage (estimate or actual) against the per-call maxima.</summary>
    /// <param name="errors">Where to add errors.</param>
    /// <param name="field">The field's name.</param>
    /// <param name="usage">The usage.</param>
    /// <param name="options">The policy.</param>
    public static void CheckUsage(Dictionary<string, string[]> errors, string field, QuotaUsage usage, QuotaPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(options);
        if (usage.Tokens < 0 || usage.Tokens > options.MaxTokensPerCall)
        {
            errors[$"{field}.tokens"] = [$"tokens must be 0-{options.MaxTokensPerCall}."];
        }

        if (usage.Cost < 0 || usage.Cost > options.MaxCostPerCall)
        {
            errors[$"{field}.cost"] = [$"cost must be 0-{options.MaxCostPerCall}."];
        }
    }

    private static void CheckId(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (!QuotaKeys.IsValidId(value))
        {
            errors[field] = [$"{field} must be 1-{QuotaKeys.MaxIdLength} characters of letters, digits, '.', '_', ':', '@', '+' or '-'."];
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]+\z")]
    private static partial Regex InvocationIdShape();

    [GeneratedRegex(@"^[A-Za-z0-9_./-]+\z")]
    private static partial Regex ToolShape();
}
