using System.Text;
using McpPlatform.Core;
using McpPlatform.ToolsWorkspace.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Tests;

/// <summary>Requests built and sent as call_connection does, against real local servers.</summary>
public sealed class ConnectionCallTests
{
    private const string Credential = "canary-key-7f3a9c1e5b";
    private static readonly byte[] s_credential = Encoding.ASCII.GetBytes(Credential);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Connection For(string origin, string header = "X-Api-Key", string? prefix = null) =>
        new("partner", origin, "partner-api-key", header, prefix, ["/v1/"], ["GET", "POST"]);

    private static ConnectionSender Sender(int maxResponseBytes = 64 * 1024, int timeoutSeconds = 10) =>
        new(Options.Create(new ConnectionCallOptions { MaxResponseBodyBytes = maxResponseBytes, TimeoutSeconds = timeoutSeconds }));

    [Fact]
    public async Task Send_CredentialHeader_ReachesTheApiButNotTheResult()
    {
        // The API echoes every request header back: the result must not carry the credential.
        await using var api = await LocalServer.StartAsync(context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.Headers["X-Echo"] = context.Request.Headers["Authorization"];
            context.Response.Headers.SetCookie = "session=abc";
            return context.Response.WriteAsync(string.Join("\n", context.Request.Headers.Select(h => $"{h.Key}: {h.Value}")), context.RequestAborted);
        });
        using var sender = Sender();
        using var request = ConnectionRequests.Build(For(api.Origin, "Authorization", "Bearer "), "GET", "/v1/whoami", body: null, s_credential);

        var result = await sender.SendAsync(request, s_credential, Cancel);

        api.Received.Single().Headers["Authorization"].ShouldBe("Bearer " + Credential);
        result.Status.ShouldBe(200);
        result.Body.ShouldNotContain(Credential);
        result.Body.ShouldContain("Authorization: Bearer [redacted]");
        // Only the content type: a header that reflects the credential, or a cookie, never reaches the caller.
        result.Headers.ShouldBe(new Dictionary<string, string> { ["content-type"] = "text/plain" });
    }

    [Fact]
    public async Task Send_PostBody_IsSentAsJsonWithTheConnectionsHeader()
    {
        await using var api = await LocalServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await context.Response.WriteAsync($"{context.Request.ContentType}|{await reader.ReadToEndAsync(context.RequestAborted)}", context.RequestAborted);
        });
        using var sender = Sender();
        using var request = ConnectionRequests.Build(For(api.Origin), "POST", "/v1/echo?x=1", Encoding.UTF8.GetBytes("{\"a\":1}"), s_credential);

        var result = await sender.SendAsync(request, s_credential, Cancel);

        var received = api.Received.Single();
        received.Method.ShouldBe("POST");
        received.PathAndQuery.ShouldBe("/v1/echo?x=1");
        received.Headers["X-Api-Key"].ShouldBe(Credential);
        result.Body.ShouldBe("application/json; charset=utf-8|{\"a\":1}");
    }

    [Fact]
    public async Task Send_BodyOverTheCap_IsCutAndMarkedTruncated()
    {
        await using var api = await LocalServer.StartAsync(context => context.Response.WriteAsync(new string('x', 10_000), context.RequestAborted));
        using var sender = Sender(maxResponseBytes: 4096);
        using var request = ConnectionRequests.Build(For(api.Origin), "GET", "/v1/items", body: null, s_credential);

        var result = await sender.SendAsync(request, s_credential, Cancel);

        result.Body.Length.ShouldBe(4096);
        result.Truncated.ShouldBeTrue();
    }

    [Fact]
    public async Task Send_BodyUnderTheCap_IsWholeAndNotTruncated()
    {
        await using var api = await LocalServer.StartAsync(context => context.Response.WriteAsync(new string('x', 4096), context.RequestAborted));
        using var sender = Sender(maxResponseBytes: 4096);
        using var request = ConnectionRequests.Build(For(api.Origin), "GET", "/v1/items", body: null, s_credential);

        var result = await sender.SendAsync(request, s_credential, Cancel);

        result.Body.Length.ShouldBe(4096);
        result.Truncated.ShouldBeFalse();
    }

    [Fact]
    public async Task Send_CredentialStraddlingTheCap_IsRedactedNotHalfShown()
    {
        await using var api = await LocalServer.StartAsync(context => context.Response.WriteAsync(new string('x', 4090) + Credential, context.RequestAborted));
        using var sender = Sender(maxResponseBytes: 4096);
        using var request = ConnectionRequests.Build(For(api.Origin), "GET", "/v1/items", body: null, s_credential);

        var result = await sender.SendAsync(request, s_credential, Cancel);

        result.Truncated.ShouldBeTrue();
        result.Body.ShouldNotContain(Credential[..6]);
    }

    [Fact]
    public async Task Send_RedirectToAnotherOrigin_IsReturnedNotFollowed()
    {
        await using var elsewhere = await LocalServer.StartAsync(context => context.Response.WriteAsync("stolen", context.RequestAborted));
        await using var api = await LocalServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = elsewhere.Origin + "/v1/steal";
            return Task.CompletedTask;
        });
        using var sender = Sender();
        using var request = ConnectionRequests.Build(For(api.Origin), "GET", "/v1/whoami", body: null, s_credential);

        var result = await sender.SendAsync(request, s_credential, Cancel);

        result.Status.ShouldBe(302);
        result.Headers.ShouldNotContainKey("location");
        api.Received.Count.ShouldBe(1);
        elsewhere.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Send_ApiTooSlow_IsConnectionUnavailable()
    {
        await using var api = await LocalServer.StartAsync(async context => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        using var sender = Sender(timeoutSeconds: 1);
        using var request = ConnectionRequests.Build(For(api.Origin), "GET", "/v1/whoami", body: null, s_credential);

        var error = await Should.ThrowAsync<ConnectionCallException>(() => sender.SendAsync(request, s_credential, Cancel));

        error.Code.ShouldBe(ToolErrorCodes.ConnectionUnavailable);
    }

    [Fact]
    public async Task Send_NothingListening_IsConnectionUnavailable()
    {
        string origin;
        await using (var gone = await LocalServer.StartAsync(_ => Task.CompletedTask))
        {
            origin = gone.Origin;
        }

        using var sender = Sender();
        using var request = ConnectionRequests.Build(For(origin), "GET", "/v1/whoami", body: null, s_credential);

        var error = await Should.ThrowAsync<ConnectionCallException>(() => sender.SendAsync(request, s_credential, Cancel));

        error.Code.ShouldBe(ToolErrorCodes.ConnectionUnavailable);
        error.Message.ShouldNotContain(origin);
    }

    [Theory]
    [InlineData("key\r\nX-Injected: 1")]
    [InlineData("key\u0000")]
    [InlineData("k\u00e9y")]
    public void Build_CredentialThatIsNotAHeaderValue_IsRefused(string value)
    {
        var error = Should.Throw<ConnectionCallException>(() =>
            ConnectionRequests.Build(For("http://localhost:5710"), "GET", "/v1/whoami", body: null, Encoding.UTF8.GetBytes(value)));

        error.Code.ShouldBe(ToolErrorCodes.ConnectionDenied);
        error.Message.ShouldNotContain("key");
    }

    [Fact]
    public void Build_UrlIsTheConnectionsOriginAndTheCheckedPath()
    {
        using var request = ConnectionRequests.Build(For("http://localhost:5710"), "GET", "/v1/items?limit=2", body: null, s_credential);

        request.RequestUri!.ToString().ShouldBe("http://localhost:5710/v1/items?limit=2");
        request.Headers.GetValues("X-Api-Key").Single().ShouldBe(Credential);
        request.Content.ShouldBeNull();
    }

    [Fact]
    public void Redact_EveryOccurrence_IsReplaced()
    {
        var redacted = Encoding.ASCII.GetString(ConnectionSender.Redact(Encoding.ASCII.GetBytes($"a{Credential}b{Credential}"), s_credential));

        redacted.ShouldBe("a[redacted]b[redacted]");
    }

    [Fact]
    public void InvocationCredential_Dispose_ZeroesTheBuffer()
    {
        var buffer = Encoding.ASCII.GetBytes(Credential);
        var credential = new InvocationCredential(buffer, buffer.Length);

        credential.Dispose();

        credential.IsCleared.ShouldBeTrue();
        buffer.ShouldAllBe(b => b == 0);
    }
}
