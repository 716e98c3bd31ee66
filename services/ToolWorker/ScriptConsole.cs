using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace McpPlatform.ToolWorker;

/// <summary>
/// The script's <c>console</c>: log, info, warn, error and debug all add one captured line, the
/// arguments joined by spaces, strings as they are and other values as JSON.stringify writes them.
/// </summary>
internal static class ScriptConsole
{
    private static readonly string[] _methods = ["log", "info", "warn", "error", "debug"];

    /// <summary>The global <c>console</c> object writing to <paramref name="capture"/>.</summary>
    public static ObjectInstance Create(Engine engine, ConsoleCapture capture)
    {
        var console = new JsObject(engine);
        foreach (var name in _methods)
        {
            console.Set(name, new ClrFunction(engine, name, (_, arguments) =>
            {
                capture.Append(Format(engine, arguments));
                return JsValue.Undefined;
            }));
        }

        return console;
    }

    private static string Format(Engine engine, JsValue[] arguments)
    {
        if (arguments.Length == 1 && arguments[0].IsString())
        {
            return arguments[0].AsString();
        }

        var line = new StringBuilder();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                line.Append(' ');
            }

            line.Append(Text(engine, arguments[i]));
        }

        return line.ToString();
    }

    private static string Text(Engine engine, JsValue value)
    {
        if (value.IsString())
        {
            return value.AsString();
        }

        if (value.IsUndefined())
        {
            return "undefined";
        }

        if (value is Function)
        {
            return "function";
        }

        if (value.IsSymbol() || value.IsBigInt())
        {
            return value.ToString();
        }

        try
        {
            var json = new JsonSerializer(engine).Serialize(value);
            return json.IsString() ? json.AsString() : value.ToString();
        }
        catch (JavaScriptException)
        {
            // A cycle, or a toJSON that throws: logging must not fail the script.
            return "[unserializable]";
        }
    }
}
