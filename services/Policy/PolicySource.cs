using McpPlatform.Policy.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace McpPlatform.Policy;

/// <summary>
/// The policy document in force in this process, read from a file (<c>Policy:Path</c>). Loaded when
/// first resolved: an invalid document then throws <see cref="PolicyInvalidException"/>, listing
/// every error, so the service does not start. Afterwards <see cref="Refresh"/> (every few seconds,
/// <see cref="PolicyFileWatcher"/>) applies a valid edit and refuses an invalid one as a whole,
/// keeping the last good version and logging the errors once per refused content.
/// </summary>
public sealed partial class PolicySource : IDisposable
{
    private readonly Lock _refreshing = new();
    private readonly string _path;
    private readonly IPolicyCheck[] _checks;
    private readonly ILogger<PolicySource> _logger;
    private CancellationTokenSource _changes = new();
    private volatile State _state;
    private volatile Refusal? _refusal;
    private string _lastSeenText;
    private bool _unreadable;

    /// <summary>Loads the document named by <paramref name="options"/>.</summary>
    /// <param name="options">The document's path and poll interval.</param>
    /// <param name="checks">The enforcing services' own checks.</param>
    /// <param name="logger">Logs applied and refused versions.</param>
    public PolicySource(IOptions<PolicyOptions> options, IEnumerable<IPolicyCheck> checks, ILogger<PolicySource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(checks);
        _logger = logger;
        _checks = [.. checks];
        var configured = options.Value.Path;
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new PolicyInvalidException(
                $"Policy:Path is not set: this service enforces the platform policy document and does not start without one (docs/policy.md). The AppHost sets it (Policy__Path).");
        }

        _path = System.IO.Path.GetFullPath(configured);
        if (!TryReadText(out var text, out var problem))
        {
            throw new PolicyInvalidException(_path, [problem]);
        }

        var result = PolicyDocumentReader.Read(text, _checks);
        if (!result.IsValid)
        {
            throw new PolicyInvalidException(_path, result.Errors);
        }

        _state = new State(result.Policy!, result.Version!);
        _lastSeenText = text;
        LogLoaded(_logger, _state.Version, _path);
    }

    /// <summary>The document's full path.</summary>
    public string Path => _path;

    /// <summary>The policy in force.</summary>
    public PlatformPolicy Current => _state.Policy;

    /// <summary>The effective version in force (<c>&lt;version&gt;-&lt;content hash&gt;</c>).</summary>
    public string Version => _state.Version;

    /// <summary>The errors of the file's current content when it was refused; null when what is on disk is in force.</summary>
    public IReadOnlyList<PolicyError>? RefusedErrors => _refusal?.Errors;

    /// <summary>A token that fires once the next version is applied.</summary>
    /// <returns>The change token.</returns>
    public IChangeToken GetChangeToken() => new CancellationChangeToken(_changes.Token);

    /// <summary>
    /// Re-reads the file. Unchanged content does nothing; a valid change is applied and signalled;
    /// an invalid one is refused as a whole and logged once.
    /// </summary>
    /// <returns>True when a new version was applied.</returns>
    public bool Refresh()
    {
        lock (_refreshing)
        {
            if (!TryReadText(out var text, out var problem))
            {
                // Mid-save or moved away: keep enforcing what we have, say so once.
                if (!_unreadable)
                {
                    LogUnreadable(_logger, _path, problem.Message, _state.Version);
                    _unreadable = true;
                }

                return false;
            }

            _unreadable = false;
            if (string.Equals(text, _lastSeenText, StringComparison.Ordinal))
            {
                return false;
            }

            _lastSeenText = text;
            var result = PolicyDocumentReader.Read(text, _checks, _state.Policy);
            if (!result.IsValid)
            {
                _refusal = new Refusal(result.Errors);
                LogRefused(_logger, _path, result.Errors.Count, _state.Version, string.Join(Environment.NewLine, result.Errors));
                return false;
            }

            _refusal = null;
            if (result.Version == _state.Version)
            {
                return false;
            }

            var previous = _state.Version;
            _state = new State(result.Policy!, result.Version!);
            LogApplied(_logger, _state.Version, previous);
            var fired = Interlocked.Exchange(ref _changes, new CancellationTokenSource());
            fired.Cancel();
            fired.Dispose();
            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _changes.Dispose();

    private bool TryReadText(out string text, out PolicyError problem)
    {
        try
        {
            var info = new FileInfo(_path);
            if (info.Exists && info.Length > PolicyDocumentReader.MaxDocumentChars * 4L)
            {
                text = string.Empty;
                problem = new PolicyError(PolicyPath.Root, "document.too_large", $"The file is larger than {PolicyDocumentReader.MaxDocumentChars * 4L} bytes.");
                return false;
            }

            text = File.ReadAllText(_path);
            problem = null!;
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            text = string.Empty;
            problem = new PolicyError(PolicyPath.Root, "document.unreadable", $"The file {_path} cannot be read ({exception.GetType().Name}).");
            return false;
        }
    }

    private sealed record State(PlatformPolicy Policy, string Version);

    private sealed record Refusal(IReadOnlyList<PolicyError> Errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Platform policy {Version} loaded from {Path}.")]
    private static partial void LogLoaded(ILogger logger, string version, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Platform policy {Version} applied (was {Previous}).")]
    private static partial void LogApplied(ILogger logger, string version, string previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Platform policy edit in {Path} refused with {Count} error(s); version {Version} stays in force:\n{Errors}")]
    private static partial void LogRefused(ILogger logger, string path, int count, string version, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Platform policy file {Path} cannot be read ({Problem}); version {Version} stays in force.")]
    private static partial void LogUnreadable(ILogger logger, string path, string problem, string version);
}
