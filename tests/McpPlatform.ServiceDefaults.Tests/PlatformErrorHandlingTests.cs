using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace McpPlatform.ServiceDefaults.Tests;

/// <summary>
/// The shared error rule on a real Kestrel in Development (where WebApplication adds the
/// developer exception page): every failure is a problem with a code, never exception text.
/// </summary>
public sealed class PlatformErrorHandlingTests : IAsyncLifetime
{
    private const string Secret = "secret-detail-from-inside";
    private WebApplication? _app;
    private HttpClient? _http;

    private HttpClient Http => _http ?? throw new InvalidOperationException("Not started.");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformProblemDetails();
        _app = builder.Build();
        _app.UsePlatformErrorHandling();
        _app.MapGet("/throw", string () => throw new InvalidOperationException(Secret));
        _app.MapPost("/json", (Sample sample) => TypedResults.Ok(sample.Count));
        _app.MapGet("/number", (int n) => TypedResults.Ok(n));
        _app.MapPost("/form", async (HttpContext http) => TypedResults.Ok((await http.Request.ReadFormAsync(Cancel)).Count));
        _app.MapPost("/small", async (HttpContext http) =>
        {
            http.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = 10;
            using var reader = new StreamReader(http.Request.Body);
            return TypedResults.Ok((await reader.ReadToEndAsync(Cancel)).Length);
        });
        await _app.StartAsync(Cancel);
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task UnhandledException_InDevelopment_Is500ServerErrorWithoutExceptionText()
    {
        var (status, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/throw") { Headers = { { "Accept", "text/html" } } });

        status.ShouldBe(HttpStatusCode.InternalServerError);
        Code(body).ShouldBe("server.error");
        body.ShouldNotContain(Secret);
        body.ShouldNotContain("InvalidOperationException");
        body.ShouldNotContain("   at ");
        JsonDocument.Parse(body).RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("{\"count\":\"not a number\"}", "request.body_invalid")]
    [InlineData("{\"count\":1e999999}", "request.body_invalid")]
    [InlineData("[[[[", "request.body_invalid")]
    public async Task JsonBinding_BadBody_Is400WithCode(string json, string code)
    {
        var (status, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/json") { Content = new StringContent(json, Encoding.UTF8, "application/json") });

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe(code);
        body.ShouldNotContain("Exception");
    }

    [Fact]
    public async Task QueryBinding_Unparsable_Is400Malformed()
    {
        var (status, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/number?n=99999999999999999999"));

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe("request.malformed");
    }

    [Theory]
    [InlineData("GET", "/number?n=%00")]
    [InlineData("GET", "/number?n=1&x%01=y")]
    [InlineData("POST", "/form")]
    public async Task ControlCharacters_InQueryOrForm_Are400InvalidText(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("email=a%00b&password=x", Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        var (status, body) = await SendAsync(request);

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe("request.invalid_text");
    }

    [Fact]
    public async Task BasicCredentials_WithNul_Are400InvalidText()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/number?n=1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("agent\0x:secret"u8.ToArray()));

        var (status, body) = await SendAsync(request);

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe("request.invalid_text");
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(1, 70_000)]
    public async Task Form_OverTheLimits_Is400Malformed(int fields, int valueLength)
    {
        var form = string.Join('&', Enumerable.Range(0, fields).Select(i => $"f{i}={new string('v', valueLength)}"));
        var (status, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/form")
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        });

        status.ShouldBe(HttpStatusCode.BadRequest);
        Code(body).ShouldBe("request.malformed");
    }

    [Fact]
    public async Task Body_OverTheEndpointLimit_Is413TooLarge()
    {
        var (status, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/small") { Content = new StringContent(new string('x', 1000)) });

        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        Code(body).ShouldBe("request.too_large");
    }

    [Fact]
    public async Task BareNotFound_GetsAProblemWithCode()
    {
        var (status, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/nothing-here"));

        status.ShouldBe(HttpStatusCode.NotFound);
        Code(body).ShouldBe("request.not_found");
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request, Cancel);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
        }
    }

    private static string? Code(string body) => JsonDocument.Parse(body).RootElement.GetProperty("code").GetString();

    /// <summary>A JSON body for the binding tests.</summary>
    public sealed record Sample(int Count);
}
