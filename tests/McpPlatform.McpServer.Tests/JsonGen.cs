using System.Globalization;
using System.Text;
using CsCheck;

namespace McpPlatform.McpServer.Tests;

/// <summary>Generators of hostile text and JSON for the property tests.</summary>
public static class JsonGen
{
    /// <summary>Characters weighted towards trouble: controls and NUL, lone surrogates, quotes, letters.</summary>
    public static readonly Gen<char> HostileChar = Gen.Frequency(
        (4, Gen.Char['a', 'z']),
        (1, Gen.Char['\0', '\u001f']),
        (1, Gen.Char['\ud800', '\udfff']),
        (1, Gen.OneOf(Gen.Const('"'), Gen.Const('\\'), Gen.Const('\u007f'), Gen.Const('\u2028'), Gen.Const('\ufeff'))),
        (1, Gen.Char));

    /// <summary>Short strings mostly, now and then a very long one.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (20, HostileChar.Array[0, 40].Select(chars => new string(chars))),
        (1, Gen.Int[1_000, 100_000].Select(length => new string('x', length))));

    /// <summary>JSON number literals, valid JSON but hostile to binding: huge, fractional, exponents, negative zero.</summary>
    public static readonly Gen<string> Number = Gen.OneOf(
        Gen.Int.Select(value => value.ToString(CultureInfo.InvariantCulture)),
        Gen.Long.Select(value => value.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Where(double.IsFinite).Select(value => value.ToString("R", CultureInfo.InvariantCulture)),
        Gen.OneOf(Gen.Const("1e400"), Gen.Const("-1e400"), Gen.Const("-0"), Gen.Const("2147483648"), Gen.Const("-2147483649"),
            Gen.Const("99999999999999999999999999999999"), Gen.Const("1.5"), Gen.Const("5e0"), Gen.Const("1E-400")));

    /// <summary>A JSON string literal of <see cref="Text"/>, lone surrogates and controls escaped as \uXXXX.</summary>
    public static readonly Gen<string> StringLiteral = Text.Select(Quote);

    /// <summary>Any JSON value, at most <paramref name="depth"/> levels deep; object keys repeat often.</summary>
    public static Gen<string> Value(int depth)
    {
        var leaf = Gen.Frequency(
            (1, Gen.OneOf(Gen.Const("null"), Gen.Const("true"), Gen.Const("false"))),
            (2, Number),
            (2, StringLiteral),
            (1, Gen.Int[1, 200].Select(levels => new string('[', levels) + new string(']', levels))));
        if (depth <= 0)
        {
            return leaf;
        }

        var inner = Value(depth - 1);
        var key = Gen.Frequency((3, Gen.OneOf(Gen.Const("\"k\""), Gen.Const("\"a\""), Gen.Const("\"\""))), (1, StringLiteral));
        return Gen.Frequency(
            (3, leaf),
            (1, inner.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(key, inner).Array[0, 4].Select(pairs => "{" + string.Join(",", pairs.Select(pair => pair.Item1 + ":" + pair.Item2)) + "}")));
    }

    /// <summary>A top-level arguments object: mostly the tool's own names (repeated now and then), sometimes others.</summary>
    /// <param name="names">The tool's parameter names.</param>
    public static Gen<string> ArgumentsObject(IReadOnlyList<string> names)
    {
        var key = Gen.Frequency(
            (6, Gen.Int[0, names.Count - 1].Select(index => Quote(names[index]))),
            (1, StringLiteral));
        return Gen.Select(key, Value(3)).Array[0, 8]
            .Select(pairs => "{" + string.Join(",", pairs.Select(pair => pair.Item1 + ":" + pair.Item2)) + "}");
    }

    private static string Quote(string text)
    {
        var json = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\' or < ' ' || char.IsSurrogate(c))
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }

        return json.Append('"').ToString();
    }
}
