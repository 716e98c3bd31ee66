using McpPlatform.Core;
using McpPlatform.Policy.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpPlatform.Policy;

/// <summary>Registration of the platform policy document in a service that enforces part of it.</summary>
public static class PolicyServiceExtensions
{
    /// <summary>
    /// Adds the policy document named by <c>Policy:Path</c> (<see cref="PolicySource"/>, loaded when
    /// first resolved, which the watcher does at start), the watcher that applies edits, and the
    /// <c>/health</c> check <c>policy</c> reporting the version in force.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddPlatformPolicy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PolicyOptions>().Bind(builder.Configuration.GetSection(PolicyOptions.SectionName));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<PolicySource>();
        builder.Services.AddHostedService<PolicyFileWatcher>();
        builder.Services.AddHealthChecks().AddCheck<PolicyHealthCheck>(PolicyHealthCheck.Name, tags: [HealthEndpoints.DetailsTag, HealthEndpoints.DataTag]);
        return builder;
    }

    /// <summary>Adds a check of this service's own to every load of the document.</summary>
    /// <typeparam name="TCheck">The check.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddPolicyCheck<TCheck>(this IServiceCollection services)
        where TCheck : class, IPolicyCheck
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicyCheck, TCheck>());
        return services;
    }

    /// <summary>
    /// Makes <typeparamref name="TOptions"/> a view of the policy in force: <paramref name="map"/>
    /// fills them from the document, and <see cref="IOptionsMonitor{TOptions}"/> reloads them each
    /// time a new version is applied.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="map">Copies the document's values into the options.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddOptionsFromPolicy<TOptions>(this IServiceCollection services, Action<PlatformPolicy, TOptions> map)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(map);
        services.AddOptions<TOptions>();
        services.AddSingleton<IConfigureOptions<TOptions>>(provider =>
            new ConfigureNamedOptions<TOptions, PolicySource>(Options.DefaultName, provider.GetRequiredService<PolicySource>(),
                (options, source) => map(source.Current, options)));
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(provider => new PolicyChangeTokenSource<TOptions>(provider.GetRequiredService<PolicySource>()));
        return services;
    }
}
