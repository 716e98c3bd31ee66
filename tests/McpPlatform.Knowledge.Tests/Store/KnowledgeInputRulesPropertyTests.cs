using System.Text;
using CsCheck;
using McpPlatform.Core;
using McpPlatform.Knowledge.Store;

namespace McpPlatform.Knowledge.Tests.Store;

/// <summary>
/// Generated text (NUL and control characters, lone surrogates, line breaks, very long strings)
/// against every <see cref="KnowledgeInputRules"/> rule: a rule returns null or an error with a
/// documented code, never throws, and what it accepts is what the rule says.
/// </summary>
public sealed class KnowledgeInputRulesPropertyTests
{
    private const int Samples = 2000;

    private static readonly string[] s_codes = [ToolErrorCodes.InvalidArgument, ToolErrorCodes.InvalidText, ToolErrorCodes.DocumentTooLarge];

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Gen<char> s_char = Gen.Frequency(
        (6, Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['A', 'Z'], Gen.Char['0', '9'], Gen.Const('_'), Gen.Const('-'))),
        (1, Gen.Char['\0', '\u001f']),
        (1, Gen.Char['\ud800', '\udfff']),
        (1, Gen.OneOf(Gen.Const(' '), Gen.Const('.'), Gen.Const('\u007f'), Gen.Const('\u0085'), Gen.Const('\u2028'), Gen.Const('é'))),
        (1, Gen.Char));

    private static readonly Gen<string> s_text = Gen.Frequency(
        (20, s_char.Array[0, 80].Select(chars => new string(chars))),
        // A valid key or id with one trailing line break: a "$" anchor lets these through.
        (3, s_char.Array[1, 20].Select(chars => new string(chars) + "\n")),
        (1, Gen.Int[1_000, 1_100_000].Select(length => new string('a', length))));

    private static readonly Gen<string?> s_maybeText = Gen.Frequency((12, s_text.Select(text => (string?)text)), (1, Gen.Const((string?)null)));

    [Fact]
    public void TextRules_AnyString_NullOrADocumentedErrorNeverThrowing()
    {
        s_maybeText.Sample(text =>
        {
            KnowledgeInputError?[] errors =
            [
                KnowledgeInputRules.Title(text), KnowledgeInputRules.DocumentId(text), KnowledgeInputRules.SourceUrl(text),
                KnowledgeInputRules.ContentHash(text), KnowledgeInputRules.DocumentText(text, 1_000_000),
                KnowledgeInputRules.ChunkText(3, text), KnowledgeInputRules.Query(text, 2000),
            ];
            foreach (var error in errors.OfType<KnowledgeInputError>())
            {
                s_codes.ShouldContain(error.Code);
                error.Message.ShouldNotBeNullOrWhiteSpace();
            }

            // Whatever a stored-text rule accepts converts to UTF-8 without loss and has no control character but tab and line breaks.
            if (KnowledgeInputRules.Title(text) is null)
            {
                Should.NotThrow(() => s_strictUtf8.GetBytes(text!));
                text!.ShouldNotContain(c => char.IsControl(c) && c != '\t' && c != '\n' && c != '\r');
            }
        }, iter: Samples);
    }

    [Fact]
    public void IsValidUnicode_AnyString_AgreesWithStrictUtf8()
    {
        s_text.Sample(text =>
        {
            var encodes = true;
            try
            {
                s_strictUtf8.GetBytes(text);
            }
            catch (EncoderFallbackException)
            {
                encodes = false;
            }

            KnowledgeInputRules.IsValidUnicode(text).ShouldBe(encodes);
        }, iter: Samples);
    }

    [Fact]
    public void Metadata_AnyPairs_AcceptedKeysAreExactlyTheDocumentedShape()
    {
        var shapedKey = Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['0', '9'], Gen.Const('_')).Array[1, 64].Select(chars => new string(chars));
        var key = Gen.Frequency((4, shapedKey), (1, shapedKey.Select(key => key + "\n")), (2, s_text));
        var value = Gen.Frequency((4, Gen.Char['a', 'z'].Array[0, 20].Select(chars => new string(chars))), (1, s_text));
        Gen.Select(key, value).Array[0, 6].Sample(pairs =>
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in pairs)
            {
                metadata[key] = value;
            }

            var error = KnowledgeInputRules.Metadata(metadata);
            var filterError = KnowledgeInputRules.Filter(metadata);

            foreach (var found in new[] { error, filterError }.OfType<KnowledgeInputError>())
            {
                s_codes.ShouldContain(found.Code);
            }

            if (error is null)
            {
                metadata.Count.ShouldBeLessThanOrEqualTo(VectorStoreLimits.MaxMetadataEntries);
                foreach (var key in metadata.Keys)
                {
                    key.Length.ShouldBeInRange(1, VectorStoreLimits.MaxMetadataKeyLength);
                    key.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-');
                }
            }
        }, iter: Samples);
    }
}
