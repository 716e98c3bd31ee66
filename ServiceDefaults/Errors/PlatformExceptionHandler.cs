using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpPlatform.ServiceDefaults.Errors;

/// <summary>
/// Turns every exception that reaches the top of a request into a problem with a code: the
/// framework's own rejections of a request (<see cref="BadHttpRequestException"/>, form limits)
/// keep their 4xx status; anything else is a 500 <c>server.error</c>. The exception is logged here
/// and never written to the response: no message, type, stack frame or path, in any environment.
/// </summary>
internal sealed partial class PlatformExceptionHandler(IProblemDetailsService problems, ILogger<PlatformExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = Classify(exception);
        if (status >= StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method);
        }
        else
        {
            LogRejected(logger, exception, status, code);
        }

        // The exception is deliberately not handed on: problem writers (the developer page's
        // among them) would otherwise be free to render it.
        await ProblemWriter.WriteAsync(httpContext, problems, status, code, detail);
        return true;
    }

    internal static (int Status, string Code, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException bad when bad.InnerException is JsonException =>
            (bad.StatusCode, PlatformErrorCodes.BodyInvalid, "The body is not valid JSON for this request."),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, PlatformErrorCodes.TooLarge, "The request body is too large."),
        BadHttpRequestException { StatusCode: StatusCodes.Status431RequestHeaderFieldsTooLarge } =>
            (431, PlatformErrorCodes.HeadersTooLarge, "The request headers are too large."),
        BadHttpRequestException bad when bad.StatusCode is >= 400 and < 500 =>
            (bad.StatusCode, PlatformErrorCodes.ForStatus(bad.StatusCode), "The request could not be read."),
        // A form the antiforgery check cannot read (not a form, not decodable, over the limits).
        AntiforgeryValidationException =>
            (StatusCodes.Status400BadRequest, PlatformErrorCodes.Antiforgery, "The form's antiforgery token is missing or the form cannot be read; reload the page."),
        // FormOptions' limits and a form body that is not valid form encoding surface as this.
        InvalidDataException =>
            (StatusCodes.Status400BadRequest, PlatformErrorCodes.Malformed, "The request's form could not be read, or exceeds the form limits."),
        _ => (StatusCodes.Status500InternalServerError, PlatformErrorCodes.ServerError,
            "The server failed to handle the request. Quote the traceId when reporting it."),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception answering a {Method} request.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request rejected with {Status} {Code}.")]
    private static partial void LogRejected(ILogger logger, Exception exception, int status, string code);
}
