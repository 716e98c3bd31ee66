using CsCheck;
using McpPlatform.Quota.Engine;

namespace McpPlatform.Quota.Tests;

/// <summary>
/// Generated ids (NUL, controls, braces, lone surrogates, trailing line breaks, very long) against
/// <see cref="QuotaKeys.IsValidId"/>, which guards every Redis key built from a tenant, principal
/// or partition: it never throws and accepts exactly the documented shape.
/// </summary>
public sealed class QuotaKeysPropertyTests
{
    private static readonly Gen<char> s_char = Gen.Frequency(
        (8, Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['0', '9'], Gen.Const('.'), Gen.Const('_'), Gen.Const(':'), Gen.Const('@'), Gen.Const('+'), Gen.Const('-'))),
        (1, Gen.OneOf(Gen.Char['\0', '\u001f'], Gen.Char['\ud800', '\udfff'], Gen.Const('{'), Gen.Const('}'), Gen.Const(' '))),
        (1, Gen.Char));

    private static readonly Gen<string> s_id = Gen.Frequency(
        (10, s_char.Array[0, 170].Select(chars => new string(chars))),
        // A valid id with one trailing line break: a "$" anchor lets these through.
        (3, s_char.Array[1, 20].Select(chars => new string(chars) + "\n")),
        (1, Gen.Int[1_000, 100_000].Select(length => new string('a', length))));

    [Fact]
    public void IsValidId_AnyString_AcceptsExactlyTheDocumentedShape() =>
        s_id.Sample(id =>
        {
            var expected = id.Length is > 0 and <= QuotaKeys.MaxIdLength
                && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '@' or '+' or '-');

            QuotaKeys.IsValidId(id).ShouldBe(expected, id);
        }, iter: 2000);
}
