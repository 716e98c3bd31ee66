using System.Buffers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace McpPlatform.Secrets.Apis;

/// <summary>
/// The input rules of the secrets API, in one place (docs/secrets.md, "API"): names, values, the
/// allowed servers and tools. Every rule answers with a <see cref="RuleError"/> or nothing; none
/// throws, whatever the input (a property test checks this).
/// </summary>
internal static partial class SecretRules
{
    /// <summary>Largest value, in UTF-8 bytes.</summary>
    public const int MaxValueBytes = 8192;

    /// <summary>Most servers one secret may allow.</summary>
    public const int MaxServers = 16;

    /// <summary>Most tools one secret may allow.</summary>
    public const int MaxTools = 32;

    /// <summary>Largest JSON body of a write (a value of 8192 bytes JSON-escaped as \uXXXX is 6 times that).</summary>
    public const int MaxWriteBodyBytes = 64 * 1024;

    /// <summary>Largest JSON body of a read.</summary>
    public const int MaxReadBodyBytes = 4 * 1024;

    private const string Invalid = "request.invalid";
    private const string InvalidText = "request.invalid_text";

    /// <summary>True when <paramref name="name"/> can name a secret: <c>^[a-z0-9][a-z0-9._-]{0,63}\z</c>.</summary>
    public static bool IsName(string? name) => name is not null && NameShape().IsMatch(name);

    /// <summary>True when <paramref name="server"/> can be an MCP server's client id.</summary>
    public static bool IsServer(string? server) => server is not null && NameShape().IsMatch(server);

    /// <summary>True when <paramref name="tool"/> can be a tool name: letters, digits, '_', '.', '-', 1-64 characters.</summary>
    public static bool IsTool(string? tool) => tool is not null && ToolShape().IsMatch(tool);

    /// <summary>The name rule as an error, or null.</summary>
    public static RuleError? CheckName(string? name) => IsName(name)
        ? null
        : new(Invalid, "name", "name must be 1-64 characters of lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");

    /// <summary>The tool rule as an error, or null.</summary>
    public static RuleError? CheckTool(string? tool) => IsTool(tool)
        ? null
        : new(Invalid, "tool", "tool must be 1-64 characters of letters, digits, '_', '.' or '-'.");

    /// <summary>
    /// Checks a value and encodes it as UTF-8 into a new array the caller owns and zeroes: 1 to
    /// <see cref="MaxValueBytes"/> bytes, valid Unicode, no NUL.
    /// </summary>
    /// <param name="value">The value as received.</param>
    /// <param name="utf8">The encoded value, when valid.</param>
    /// <returns>An error, or null.</returns>
    public static RuleError? CheckValue(string? value, out byte[]? utf8)
    {
        utf8 = null;
        if (string.IsNullOrEmpty(value))
        {
            return new(Invalid, "value", "value is required (1-8192 UTF-8 bytes).");
        }

        // Every UTF-16 code unit is at least one UTF-8 byte.
        if (value.Length > MaxValueBytes)
        {
            return new(Invalid, "value", $"value may be at most {MaxValueBytes} UTF-8 bytes.");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return new(Invalid, "value", "value may not contain NUL characters.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(value.Length * 3);
        try
        {
            var status = Utf8.FromUtf16(value, buffer, out _, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                return new(InvalidText, "value", "value is not valid Unicode (an unpaired surrogate).");
            }

            if (written > MaxValueBytes)
            {
                return new(Invalid, "value", $"value may be at most {MaxValueBytes} UTF-8 bytes.");
            }

            utf8 = buffer.AsSpan(0, written).ToArray();
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The allowed servers: 1 to <see cref="MaxServers"/> client ids.</summary>
    public static RuleError? CheckServers(IReadOnlyList<string?>? servers) =>
        servers is not { Count: > 0 and <= MaxServers } || !servers.All(IsServer)
            ? new(Invalid, "allowedServers",
                $"allowedServers must list 1-{MaxServers} MCP server client ids (lowercase letters, digits, '.', '_', '-'), e.g. [\"tools-workspace\"].")
            : null;

    /// <summary>The allowed tools: 1 to <see cref="MaxTools"/> tool names.</summary>
    public static RuleError? CheckTools(IReadOnlyList<string?>? tools) =>
        tools is not { Count: > 0 and <= MaxTools } || !tools.All(IsTool)
            ? new(Invalid, "allowedTools",
                $"allowedTools must list 1-{MaxTools} tool names (letters, digits, '_', '.', '-'), e.g. [\"call_connection\"].")
            : null;

    /// <summary>Checks a create request; on success <paramref name="utf8"/> holds the value (the caller zeroes it).</summary>
    public static RuleError? CheckCreate(CreateSecretRequest request, out byte[]? utf8)
    {
        ArgumentNullException.ThrowIfNull(request);
        utf8 = null;
        return CheckName(request.Name) ?? CheckServers(request.AllowedServers) ?? CheckTools(request.AllowedTools)
            ?? CheckValue(request.Value, out utf8);
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex NameShape();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}\z")]
    private static partial Regex ToolShape();
}
