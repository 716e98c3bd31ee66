using System.ComponentModel;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.McpServer.Pipeline;
using McpPlatform.ServiceClients;
using McpPlatform.ToolsKnowledge.Downstream;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpPlatform.ToolsKnowledge.Tools;

/// <summary>Calls to downstream services with propagated identity.</summary>
[McpServerToolType]
public sealed class DownstreamTools
{
    private const int MaxMessageLength = 1000;

    /// <summary>The downstream_echo tool.</summary>
    [McpServerTool(Name = "downstream_echo", Idempotent = false)]
    [Description("Sends a short message to the platform's sample downstream API on your behalf and returns what that API saw: " +
        "your tenant, your principal, this invocation id and the MCP server that acted for you. " +
        "Use it to verify that identity reaches downstream services.")]
    public static async Task<CallToolResult> DownstreamEcho(
        DownstreamClient downstream,
        TenantContext tenant,
        ToolCall call,
        [Description("The text to echo, 1 to 1000 characters.")] string message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        ArgumentNullException.ThrowIfNull(call);
        if (string.IsNullOrEmpty(message) || message.Length > MaxMessageLength)
        {
            return call.Fail(ToolErrorCodes.InvalidArgument, $"message must be 1-{MaxMessageLength} characters.");
        }

        try
        {
            return ToolResults.Structured(await downstream.EchoAsync(tenant, message, cancellationToken));
        }
        catch (TokenExchangeException exception)
        {
            return call.Fail(ToolErrorCodes.ExchangeRefused, $"The identity service refused the token exchange ({exception.Error}).");
        }
        catch (IdentityUnavailableException)
        {
            return call.Fail(ToolErrorCodes.IdentityUnavailable, "The identity service could not be reached to authorize the downstream call; nothing was sent downstream.", 5);
        }
        catch (HttpRequestException exception)
        {
            return call.Fail(ToolErrorCodes.DownstreamUnavailable,
                exception.StatusCode is { } status ? $"The downstream API answered {(int)status}." : "The downstream API could not be reached.", 5);
        }
        catch (JsonException)
        {
            return call.Fail(ToolErrorCodes.DownstreamUnavailable, "The downstream API answered with something that is not JSON.", 5);
        }
    }
}
