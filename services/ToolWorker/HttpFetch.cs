using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker;

/// <summary>
/// The script's <c>http.fetch(connection, path, options?)</c>: asks the host over the protocol
/// (a "fetch" line, then a synchronous wait for the "fetched" with the same seq) and remembers the
/// errors it threw, so an uncaught one fails the run with the host's code.
/// </summary>
internal sealed class HttpFetch(Engine engine, ProtocolChannel channel, int maxFetches)
{
    /// <summary>The code of the error thrown for fetches beyond the run's cap.</summary>
    public const string DeniedCode = "connection.denied";

    private readonly Dictionary<ObjectInstance, WorkerError> _thrown = new(ReferenceEqualityComparer.Instance);
    private int _seq;

    /// <summary>The global <c>http</c> object.</summary>
    public ObjectInstance CreateGlobal()
    {
        var http = new JsObject(engine);
        http.Set("fetch", new ClrFunction(engine, "fetch", Fetch, 2));
        return http;
    }

    /// <summary>Whether <paramref name="error"/> is an error this run's http.fetch threw, and its code and message.</summary>
    public bool TryGetError(JsValue error, out WorkerError thrown)
    {
        thrown = null!;
        return error is ObjectInstance instance && _thrown.TryGetValue(instance, out thrown!);
    }

    private JsObject Fetch(JsValue thisObject, JsValue[] arguments)
    {
        var connection = Argument(arguments, 0);
        var path = Argument(arguments, 1);
        if (!connection.IsString())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "http.fetch: connection must be a string.");
        }

        if (!path.IsString())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "http.fetch: path must be a string.");
        }

        var (method, body) = ReadOptions(Argument(arguments, 2));
        if (_seq >= maxFetches)
        {
            throw Error(DeniedCode, $"The script may make at most {maxFetches} http.fetch calls.");
        }

        var seq = ++_seq;
        channel.Write(new WorkerMessage(
            "fetch",
            Seq: seq,
            Connection: SafeText.WellFormed(connection.AsString()),
            Path: SafeText.WellFormed(path.AsString()),
            Method: method,
            Body: body));

        var reply = channel.Read() ?? throw new ProtocolViolationException("end of input during a fetch");
        if (reply.Type != "fetched" || reply.Seq != seq)
        {
            throw new ProtocolViolationException("expected the fetched line of the pending fetch");
        }

        if (reply.Error is { } error)
        {
            throw Error(error.Code, error.Message);
        }

        return Response(reply.Status ?? throw new ProtocolViolationException("fetched without status or error"), reply);
    }

    private (string Method, string? Body) ReadOptions(JsValue options)
    {
        if (options.IsUndefined() || options.IsNull())
        {
            return ("GET", null);
        }

        if (!options.IsObject())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "http.fetch: options must be an object.");
        }

        var method = options.AsObject().Get("method");
        if (!method.IsUndefined() && !method.IsString())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "http.fetch: options.method must be a string.");
        }

        var body = options.AsObject().Get("body");
        string? text;
        if (body.IsUndefined() || body.IsNull())
        {
            text = null;
        }
        else if (body.IsString())
        {
            text = body.AsString();
        }
        else if (body.IsObject())
        {
            var json = new JsonSerializer(engine).Serialize(body);
            text = json.IsString() ? json.AsString() : null;
        }
        else
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "http.fetch: options.body must be a string or an object.");
        }

        var verb = method.IsString() ? method.AsString().ToUpperInvariant() : "GET";
        return (SafeText.WellFormed(verb), text is null ? null : SafeText.WellFormed(text));
    }

    private JsObject Response(int status, HostMessage reply)
    {
        var body = reply.Body ?? string.Empty;
        var response = new JsObject(engine);
        response.Set("status", status);
        response.Set("contentType", reply.ContentType is null ? JsValue.Null : new JsString(reply.ContentType));
        response.Set("body", body);
        response.Set("truncated", reply.Truncated ?? false);

        // A body that is not JSON throws an ordinary (catchable) SyntaxError, as JSON.parse would.
        response.Set("json", new ClrFunction(engine, "json", (_, _) => new JsonParser(engine).Parse(body)));
        return response;
    }

    private JavaScriptException Error(string code, string message)
    {
        var error = engine.Intrinsics.Error.Construct(message);
        error.Set("code", code);
        _thrown[error] = new WorkerError(code, SafeText.Message(message));
        return new JavaScriptException(error);
    }

    private static JsValue Argument(JsValue[] arguments, int index) =>
        index < arguments.Length ? arguments[index] : JsValue.Undefined;
}
