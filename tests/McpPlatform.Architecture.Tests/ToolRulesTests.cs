using System.Reflection;
using System.Text.RegularExpressions;
using ModelContextProtocol.Server;

namespace McpPlatform.Architecture.Tests;

/// <summary>
/// A tool never lets the caller name a tenant: the tenant comes from the token, through the
/// <c>TenantContext</c> the call pipeline puts in the call's scope (docs/tenancy.md).
/// </summary>
public sealed partial class ToolRulesTests
{
    [Fact]
    public void Tools_TakeNoTenantStringParameter()
    {
        var tools = McpServerAssemblies()
            .SelectMany(LoadableTypes)
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(method => method.GetCustomAttribute<McpServerToolAttribute>() is not null)
            .ToList();
        // Worth something only if it saw the tools.
        tools.Count.ShouldBeGreaterThan(0, "no [McpServerTool] methods found; reference the MCP servers from this project");

        var offenders = tools
            .SelectMany(method => method.GetParameters()
                .Where(parameter => parameter.ParameterType == typeof(string) && Tenant().IsMatch(parameter.Name ?? string.Empty))
                .Select(parameter => $"{method.DeclaringType!.FullName}.{method.Name}({parameter.Name})"))
            .ToList();

        offenders.ShouldBeEmpty("tools take the tenant from TenantContext (DI), never as an argument:\n" + string.Join("\n", offenders));
    }

    private static IEnumerable<Assembly> McpServerAssemblies() =>
        Directory.GetFiles(AppContext.BaseDirectory, "McpPlatform.*.dll")
            .Where(path => !Path.GetFileName(path).Contains(".Tests", StringComparison.Ordinal))
            .Select(Assembly.LoadFrom)
            .Where(assembly => assembly.GetReferencedAssemblies().Any(reference => reference.Name == typeof(McpServerToolAttribute).Assembly.GetName().Name));

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            return exception.Types.OfType<Type>();
        }
    }

    [GeneratedRegex("tenant", RegexOptions.IgnoreCase)]
    private static partial Regex Tenant();
}
