using System.Security.Claims;
using System.Text.Encodings.Web;
using McpPlatform.Core;
using McpPlatform.Identity.Data;
using McpPlatform.Identity.Data.Directory;
using McpPlatform.Identity.Extensions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace McpPlatform.Identity.Apis;

/// <summary>The server-rendered sign-in page: an HTML form with an antiforgery token and a cookie session.</summary>
public static class AccountApi
{
    private static readonly PasswordHasher<User> _hasher = new();

    /// <summary>Maps <c>GET/POST /account/login</c> and <c>POST /account/logout</c>.</summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <returns>The same routes.</returns>
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(IdentityServiceExtensions.LoginPath, ShowLogin).ExcludeFromDescription();
        endpoints.MapPost(IdentityServiceExtensions.LoginPath, LoginAsync).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapPost("/account/logout", LogoutAsync).DisableAntiforgery().ExcludeFromDescription();
        return endpoints;
    }

    private static ContentHttpResult ShowLogin(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        LoginPage(context, antiforgery, returnUrl, error: null);

    private static async Task<Results<RedirectHttpResult, ContentHttpResult, BadRequest<string>>> LoginAsync(
        HttpContext context, IAntiforgery antiforgery, IdentityDbContext db, ILoggerFactory loggers)
    {
        // Validated by hand (the endpoint opts out of the middleware) so a bad token gets a plain 400.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest("The form expired or was not sent by this page; reload it and try again.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var email = form["email"].ToString().Trim().ToLowerInvariant();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, context.RequestAborted);
        if (user is null || user.IsDisabled || string.IsNullOrEmpty(password) ||
            _hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            // Neither the name nor the password is logged: both identify or compromise a person.
            loggers.CreateLogger(typeof(AccountApi)).LogInformation("Sign-in refused.");
            return LoginPage(context, antiforgery, returnUrl, "Unknown user or wrong password.");
        }

        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, PlatformClaims.Subject, PlatformClaims.Role);
        identity.AddClaim(new Claim(PlatformClaims.Subject, user.Id));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = false });

        return TypedResults.Redirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await antiforgery.IsRequestValidAsync(context))
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }

        return TypedResults.Redirect(IdentityServiceExtensions.LoginPath);
    }

    // Only same-site paths: an open redirect would let a phishing link borrow our sign-in page.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static ContentHttpResult LoginPage(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var errorBlock = error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{html.Encode(error)}</p>";
        var page = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sign in · McpPlatform</title>
              <style>
                body { font-family: system-ui, sans-serif; max-width: 22rem; margin: 4rem auto; padding: 0 1rem; }
                label { display: block; margin-top: 1rem; }
                input { width: 100%; padding: .4rem; box-sizing: border-box; }
                button { margin-top: 1.5rem; padding: .5rem 1.5rem; }
                .error { color: #b00020; }
              </style>
            </head>
            <body>
              <h1>Sign in</h1>
              {{errorBlock}}
              <form method="post" action="{{html.Encode(IdentityServiceExtensions.LoginPath)}}">
                <input type="hidden" name="{{html.Encode(tokens.FormFieldName)}}" value="{{html.Encode(tokens.RequestToken ?? string.Empty)}}">
                <input type="hidden" name="returnUrl" value="{{html.Encode(returnUrl ?? string.Empty)}}">
                <label for="email">Email</label>
                <input id="email" name="email" type="email" autocomplete="username" required autofocus>
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <button type="submit">Sign in</button>
              </form>
            </body>
            </html>
            """;

        // The page must not be framed (clickjacking) nor cached (it holds an antiforgery token).
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(page, "text/html; charset=utf-8");
    }
}
