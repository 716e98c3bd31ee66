using McpPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one error rule of every platform HTTP service (docs/errors.md): problems (RFC 9457) with a
/// <c>code</c> and the trace id, never exception text, in every environment; explicit request limits.
/// </summary>
public static class PlatformErrorHandlingExtensions
{
    /// <summary>Form limits: far above what any platform form needs, far below the framework's defaults.</summary>
    public const int MaxFormValueCount = 64;

    /// <summary>The longest form field name, in characters.</summary>
    public const int MaxFormKeyLength = 256;

    /// <summary>The longest form field value, in characters (a subject token for exchange fits many times).</summary>
    public const int MaxFormValueLength = 64 * 1024;

    /// <summary>The largest multipart body; no platform endpoint takes multipart today.</summary>
    public const long MaxMultipartBodyLength = 1024 * 1024;

    /// <summary>The most request headers, and their total size (Kestrel answers 431 beyond).</summary>
    public const int MaxRequestHeaderCount = 100;

    /// <summary>The total size of the request headers, in bytes.</summary>
    public const int MaxRequestHeadersTotalSize = 32 * 1024;

    /// <summary>
    /// Registers problem details (with <c>code</c> and <c>traceId</c>), the exception handler
    /// that maps exceptions to problems, and the form and Kestrel header limits.
    /// <see cref="Extensions.AddServiceDefaults{TBuilder}"/> calls it.
    /// </summary>
    /// <param name="builder">The service's host builder.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder AddPlatformProblemDetails<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", PlatformErrorCodes.ForStatus(status));
            // Support's handle on the server-side log entry; it says nothing about the failure.
            context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString()
                ?? context.HttpContext.TraceIdentifier;
            // The default type URI and title are ASP.NET Core's; the code is the platform's contract.
            context.ProblemDetails.Instance = null;
        });
        builder.Services.AddExceptionHandler<PlatformExceptionHandler>();
        // Minimal APIs throw their binding failures (bad JSON, missing or unparsable parameters)
        // as BadHttpRequestException in every environment, so the handler gives them a code; by
        // default outside Development they end as a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<FormOptions>(options =>
        {
            options.ValueCountLimit = MaxFormValueCount;
            options.KeyLengthLimit = MaxFormKeyLength;
            options.ValueLengthLimit = MaxFormValueLength;
            options.MultipartBodyLengthLimit = MaxMultipartBodyLength;
        });
        builder.Services.Configure<KestrelServerOptions>(options =>
        {
            options.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
            options.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
        });
        return builder;
    }

    /// <summary>
    /// Puts the error rule first in the pipeline: exceptions become problems (the developer
    /// exception page, which WebApplication adds in Development, never sees one), bare 4xx
    /// answers get a problem body, and query strings and forms with NUL or control characters are
    /// refused. Call it right after <c>Build()</c>, before any other middleware.
    /// </summary>
    /// <param name="app">The built application.</param>
    /// <returns>The same application.</returns>
    public static WebApplication UsePlatformErrorHandling(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestTextGuard>();
        return app;
    }
}
