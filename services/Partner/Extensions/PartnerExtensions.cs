using McpPlatform.Partner.Apis;

namespace McpPlatform.Partner.Extensions;

/// <summary>Registration of the partner sample API.</summary>
public static class PartnerExtensions
{
    /// <summary>
    /// Adds the API keys (configuration <c>Partner:Keys:&lt;tenant slug&gt;</c>, passed by the AppHost
    /// from secret parameters) and the bounded record of what each request carried.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddPartnerServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PartnerOptions>().Bind(builder.Configuration.GetSection(PartnerOptions.SectionName));
        builder.Services.AddSingleton<PartnerKeys>();
        builder.Services.AddSingleton<RequestLog>();
        return builder;
    }
}
