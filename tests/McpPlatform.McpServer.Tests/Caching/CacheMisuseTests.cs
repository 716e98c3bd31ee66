using System.Reflection;
using System.Text.RegularExpressions;
using McpPlatform.McpServer.Caching;
using McpPlatform.Tests.Common;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.McpServer.Tests.Caching;

/// <summary>
/// The unscoped caches stay out of reach: not in the container, and not named by any platform
/// type or source file outside McpPlatform.McpServer.Caching. A tool that keyed a shared cache by
/// query text alone would serve one tenant's answer to another.
/// </summary>
public sealed partial class CacheMisuseTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string CachingNamespace = "McpPlatform.McpServer.Caching";
    private static readonly Type[] Forbidden = [typeof(HybridCache), typeof(IDistributedCache), typeof(IMemoryCache)];

    [Fact]
    public void AddTenantScopedCache_Container_HasTheFactoryButNoUnscopedCache()
    {
        using var host = Build(new() { ["ConnectionStrings:redis"] = redis.ConnectionString, ["TenantCache:KeySecret"] = TenantCacheTests.NewSecret() });

        host.Services.GetService<ITenantCacheFactory>().ShouldNotBeNull();
        foreach (var type in Forbidden)
        {
            host.Services.GetService(type).ShouldBeNull($"{type.Name} must not be injectable");
        }
    }

    [Fact]
    public void AddTenantScopedCache_NoRedisConnectionString_ThrowsNamingIt() =>
        Should.Throw<InvalidOperationException>(() => Build([])).Message.ShouldContain("ConnectionStrings:redis");

    [Fact]
    public async Task AddTenantScopedCache_QuotaKeyPrefix_RefusesToStart()
    {
        using var host = Build(new()
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["TenantCache:KeySecret"] = TenantCacheTests.NewSecret(),
            ["TenantCache:KeyPrefix"] = "q:",
        });

        (await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken)))
            .Message.ShouldContain("TenantCache");
    }

    [Fact]
    public void PlatformAssemblies_NoTypeOutsideTheCachingNamespaceHoldsAnUnscopedCache()
    {
        var assemblies = Directory.GetFiles(AppContext.BaseDirectory, "McpPlatform.*.dll")
            .Where(path => !Path.GetFileName(path).Contains(".Tests", StringComparison.Ordinal))
            .Select(path => Assembly.LoadFrom(path))
            .ToList();
        // The scan is only worth something if the MCP servers' code is in it.
        assemblies.Select(assembly => assembly.GetName().Name).ShouldContain("McpPlatform.ToolsKnowledge");
        assemblies.Select(assembly => assembly.GetName().Name).ShouldContain("McpPlatform.Knowledge");

        var offenders = assemblies.SelectMany(Offenders).ToList();

        offenders.ShouldBeEmpty("inject ITenantCacheFactory instead: " + string.Join("; ", offenders));
    }

    [Fact]
    public void ServiceSources_NoFileOutsideTheCachingFolderNamesAnUnscopedCache()
    {
        var services = Path.Combine(RepositoryRoot(), "services");
        var caching = Path.Combine(services, "McpServer", "Caching") + Path.DirectorySeparatorChar;
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(services, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(services, file);
            if (file.StartsWith(caching, StringComparison.Ordinal) || relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].TrimStart();
                if (!code.StartsWith("//", StringComparison.Ordinal) && UnscopedCache().IsMatch(code))
                {
                    offenders.Add($"services/{relative.Replace(Path.DirectorySeparatorChar, '/')}:{i + 1}");
                }
            }
        }

        offenders.ShouldBeEmpty("use ITenantCacheFactory (McpPlatform.McpServer.Caching) instead of: " + string.Join(", ", offenders));
    }

    private static IEnumerable<string> Offenders(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            types = [.. exception.Types.OfType<Type>()];
        }

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in types.Where(type => type.Namespace?.StartsWith(CachingNamespace, StringComparison.Ordinal) != true))
        {
            var uses = type.GetConstructors(all).SelectMany(constructor => constructor.GetParameters()).Select(parameter => (parameter.ParameterType, $"constructor parameter '{parameter.Name}'"))
                .Concat(type.GetFields(all).Select(field => (field.FieldType, $"field '{field.Name}'")))
                .Concat(type.GetProperties(all).Select(property => (property.PropertyType, $"property '{property.Name}'")))
                .Concat(type.GetMethods(all).SelectMany(method => method.GetParameters()).Select(parameter => (parameter.ParameterType, $"method parameter '{parameter.Name}'")));
            foreach (var (used, where) in uses)
            {
                if (Mentions(used) is { } forbidden)
                {
                    yield return $"{type.FullName} ({assembly.GetName().Name}): {where} of type {forbidden.Name}";
                }
            }
        }
    }

    /// <summary>The forbidden type <paramref name="type"/> is or wraps (Lazy&lt;T&gt;, Func&lt;T&gt;, arrays…).</summary>
    private static Type? Mentions(Type type)
    {
        if (type.HasElementType)
        {
            return Mentions(type.GetElementType()!);
        }

        if (Forbidden.FirstOrDefault(forbidden => forbidden.IsAssignableFrom(type)) is { } direct)
        {
            return direct;
        }

        return type.IsGenericType ? type.GetGenericArguments().Select(Mentions).FirstOrDefault(found => found is not null) : null;
    }

    private static IHost Build(Dictionary<string, string?> configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddTenantScopedCache();
        return builder.Build();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpPlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("McpPlatform.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(HybridCache|IDistributedCache|IBufferDistributedCache|IMemoryCache|AddHybridCache|AddMemoryCache|AddDistributedMemoryCache|AddStackExchangeRedisCache|AddRedisDistributedCache|AddRedisOutputCache)\b")]
    private static partial Regex UnscopedCache();
}
