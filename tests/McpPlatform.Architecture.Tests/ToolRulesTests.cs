using System.Reflection;
using System.Text.RegularExpressions;
using McpPlatform.Core;
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

    [Fact]
    public void ToolInventory_ListsExactlyTheToolsEachServerDeclares()
    {
        // The policy document is validated against PlatformToolInventory (docs/policy.md): a tool
        // missing there could not be allowed, one listed but gone could be allowed by mistake.
        var declared = McpServerAssemblies()
            .SelectMany(assembly => LoadableTypes(assembly)
                .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(method => method.GetCustomAttribute<McpServerToolAttribute>() is not null)
                .Select(method => (Assembly: assembly.GetName().Name!, Tool: method.GetCustomAttribute<McpServerToolAttribute>()!.Name ?? method.Name)))
            .ToList();
        declared.Count.ShouldBeGreaterThan(0, "no [McpServerTool] methods found; reference the MCP servers from this project");
        var shared = declared.Where(tool => tool.Assembly == "McpPlatform.McpServer").Select(tool => tool.Tool).ToList();
        var servers = declared.Select(tool => tool.Assembly).Where(name => name != "McpPlatform.McpServer").Distinct().ToList();

        foreach (var assembly in servers)
        {
            var server = PlatformToolInventory.ByServer.Keys.SingleOrDefault(name => AssemblyOf(name) == assembly);
            server.ShouldNotBeNull($"{assembly} declares tools but PlatformToolInventory has no server for it");
            var expected = declared.Where(tool => tool.Assembly == assembly).Select(tool => tool.Tool).Concat(shared).Order(StringComparer.Ordinal).ToList();
            PlatformToolInventory.ByServer[server].Order(StringComparer.Ordinal).ToList().ShouldBe(expected, $"PlatformToolInventory[{server}]");
        }

        PlatformToolInventory.ByServer.Keys.Select(AssemblyOf).ShouldBeSubsetOf(servers, "PlatformToolInventory names a server whose assembly declares no tools");
    }

    // tools-knowledge → McpPlatform.ToolsKnowledge
    private static string AssemblyOf(string server) =>
        "McpPlatform." + string.Concat(server.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

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
