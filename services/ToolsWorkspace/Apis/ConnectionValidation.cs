using McpPlatform.ToolsWorkspace.Connections;

namespace McpPlatform.ToolsWorkspace.Apis;

/// <summary>Checks a connection definition field by field with <see cref="ConnectionRules"/> and <see cref="ConnectionPath"/>.</summary>
internal static class ConnectionValidation
{
    /// <summary>The connection, or the invalid fields with a sentence each (values are never echoed).</summary>
    public static (Connection? Connection, Dictionary<string, string[]> Errors) Check(string name, ConnectionRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var origin = EgressPolicy.Origin(request.BaseUrl);
        if (origin is null)
        {
            errors["baseUrl"] = ["baseUrl must be an absolute http or https URL with no path, query, fragment or user info."];
        }

        if (!ConnectionRules.IsName(request.SecretName))
        {
            errors["secretName"] = ["secretName must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit."];
        }

        if (!ConnectionRules.IsCredentialHeader(request.CredentialHeader))
        {
            errors["credentialHeader"] = ["credentialHeader must be an HTTP header name of 1-64 characters that the HTTP stack does not own (not Host, Content-Length, Cookie, …)."];
        }

        if (!ConnectionRules.IsCredentialPrefix(request.CredentialPrefix))
        {
            errors["credentialPrefix"] = [$"credentialPrefix must be at most {ConnectionRules.MaxPrefixLength} printable ASCII characters."];
        }

        var prefixes = request.AllowedPathPrefixes ?? [];
        if (prefixes.Length is 0 or > ConnectionRules.MaxListItems || prefixes.Any(p => ConnectionPath.Problem(p, allowQuery: false) is not null))
        {
            errors["allowedPathPrefixes"] = [$"allowedPathPrefixes must list 1-{ConnectionRules.MaxListItems} paths starting with '/', with no query, '..', '//' or encoded tricks."];
        }

        var methods = (request.AllowedMethods ?? []).Select(ConnectionRules.Method).ToArray();
        if (methods.Length is 0 or > ConnectionRules.MaxListItems || methods.Any(m => m is null))
        {
            errors["allowedMethods"] = [$"allowedMethods must list 1 or more of {string.Join(", ", ConnectionRules.KnownMethods)}."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new Connection(name, origin!, request.SecretName!, request.CredentialHeader!,
            string.IsNullOrEmpty(request.CredentialPrefix) ? null : request.CredentialPrefix,
            [.. prefixes.Distinct(StringComparer.Ordinal)], [.. methods.OfType<string>().Distinct(StringComparer.Ordinal)]), errors);
    }
}
