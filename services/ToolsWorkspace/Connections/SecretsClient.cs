using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.ServiceClients;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Connections;

/// <summary>
/// Reads one secret value for one invocation: exchanges the caller's token at identity for the
/// secrets service (with the invocation id, so the read lands in the caller's trail), then asks
/// <c>POST /v1/secrets/{name}/read</c> naming the tool. The value comes back as bytes the caller
/// owns and zeroes; the response buffer it was parsed from is zeroed here.
/// </summary>
public sealed class SecretsClient(HttpClient http, TokenExchangeClient exchange, IOptions<SecretsOptions> options)
{
    /// <summary>The longest value the secrets service stores (its contract: 1..8192 UTF-8 bytes).</summary>
    public const int MaxValueBytes = 8192;

    /// <summary>Reads a secret's value for this invocation.</summary>
    /// <param name="tenant">The current call's context.</param>
    /// <param name="secretName">The secret's name (checked with <see cref="ConnectionRules.IsName"/>).</param>
    /// <param name="tool">The tool that will use it.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The value; the caller disposes it, which zeroes it.</returns>
    /// <exception cref="ConnectionCallException">Not found, denied, or a service could not be reached.</exception>
    internal async Task<InvocationCredential> ReadAsync(TenantContext tenant, string secretName, string tool, CancellationToken cancellationToken)
    {
        string token;
        try
        {
            token = await exchange.ExchangeAsync(tenant, options.Value.Audience, cancellationToken);
        }
        catch (TokenExchangeException exception)
        {
            throw new ConnectionCallException(ToolErrorCodes.ExchangeRefused, $"The identity service refused the token exchange for the secrets service ({exception.Error}).");
        }
        catch (IdentityUnavailableException)
        {
            throw new ConnectionCallException(ToolErrorCodes.IdentityUnavailable, "The identity service could not be reached to authorize the secret read; nothing was sent.", 5);
        }

        byte[]? body = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(options.Value.BaseAddress), $"/v1/secrets/{secretName}/read"))
            {
                Content = JsonContent.Create(new SecretReadRequest(tool)),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => Parse(body),
                HttpStatusCode.NotFound => throw new ConnectionCallException(ToolErrorCodes.SecretNotFound,
                    "Your tenant has no secret with the name this connection uses; a tenant admin registers it in the secrets service."),
                HttpStatusCode.Forbidden => throw new ConnectionCallException(ToolErrorCodes.SecretDenied,
                    "The secret this connection uses does not allow this server or this tool to read it."),
                _ => throw new ConnectionCallException(ToolErrorCodes.ConnectionUnavailable, $"The secrets service answered {(int)response.StatusCode}.", 5),
            };
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ConnectionCallException(ToolErrorCodes.ConnectionUnavailable, "The secrets service could not be reached.", 5);
        }
        finally
        {
            if (body is not null)
            {
                CryptographicOperations.ZeroMemory(body);
            }
        }
    }

    // {"value": "..."}: the string's unescaped UTF-8 bytes copied into a buffer of our own, no string made.
    private static InvocationCredential Parse(byte[] body)
    {
        var buffer = new byte[MaxValueBytes * 4];
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isValue = reader.ValueTextEquals("value"u8);
                    reader.Read();
                    if (isValue && reader.TokenType == JsonTokenType.String)
                    {
                        var length = reader.CopyString(buffer);
                        if (length is > 0 and <= MaxValueBytes)
                        {
                            return new InvocationCredential(buffer, length);
                        }

                        break;
                    }

                    reader.TrySkip();
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException)
        {
            // Falls through to the refusal below; the buffer is zeroed there.
        }

        CryptographicOperations.ZeroMemory(buffer);
        throw new ConnectionCallException(ToolErrorCodes.ConnectionUnavailable, "The secrets service answered with something that is not a secret value.", 5);
    }
}
