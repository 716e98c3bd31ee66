using System.Text;
using System.Text.Json;
using CsCheck;
using McpPlatform.Secrets.Apis;

namespace McpPlatform.Secrets.Tests;

public sealed class SecretRulesTests
{
    private const int Samples = 2000;
    private static readonly string[] s_codes = ["request.invalid", "request.invalid_text"];

    // Characters weighted towards trouble: the name alphabet, uppercase, controls and NUL, lone
    // surrogates, quotes and separators, anything.
    private static readonly Gen<char> s_char = Gen.Frequency(
        (6, Gen.Char['a', 'z']),
        (2, Gen.Char['0', '9']),
        (2, Gen.OneOf(Gen.Const('.'), Gen.Const('_'), Gen.Const('-'), Gen.Const('/'), Gen.Const(' '), Gen.Const('"'), Gen.Const('\\'))),
        (1, Gen.Char['A', 'Z']),
        (1, Gen.Char['\0', '\u001f']),
        (1, Gen.Char['\ud800', '\udfff']),
        (1, Gen.Char));

    private static readonly Gen<string> s_text = Gen.Frequency(
        (20, s_char.Array[0, 80].Select(chars => new string(chars))),
        (1, Gen.Int[8_000, 30_000].Select(length => new string('x', length))),
        (1, Gen.Int[2_700, 2_800].Select(length => string.Concat(Enumerable.Repeat("€", length)))));

    private static readonly Gen<List<string?>?> s_list = Gen.Frequency(
        (1, Gen.Const((List<string?>?)null)),
        (6, Gen.Frequency((8, s_text.Select(t => (string?)t)), (1, Gen.Const((string?)null))).Array[0, 40].Select(items => (List<string?>?)[.. items])));

    [Fact]
    public void CheckCreate_GeneratedRequests_NeverThrow_AcceptOrRefuseWithA4xxCode()
    {
        Gen.Select(s_text, s_text, s_list, s_list).Sample((name, value, servers, tools) =>
        {
            var request = new CreateSecretRequest { Name = name, Value = value, AllowedServers = servers, AllowedTools = tools };
            var error = SecretRules.CheckCreate(request, out var utf8);
            if (error is null)
            {
                SecretRules.IsName(name).ShouldBeTrue();
                utf8.ShouldNotBeNull().Length.ShouldBeInRange(1, SecretRules.MaxValueBytes);
                Encoding.UTF8.GetString(utf8).ShouldBe(value);
                utf8.ShouldNotContain((byte)0);
            }
            else
            {
                s_codes.ShouldContain(error.Code);
                utf8.ShouldBeNull();
                // A refusal names the field and never echoes the value.
                if (value is { Length: >= 4 } && error.Field == "value")
                {
                    error.Message.ShouldNotContain(value);
                }
            }
        }, iter: Samples);
    }

    [Fact]
    public void CreateBody_GeneratedJson_EitherFailsAsJsonOrGetsARuleAnswer()
    {
        var field = Gen.Frequency(
            (4, s_text.Select(t => JsonSerializer.Serialize(t))),
            (1, Gen.OneOf(Gen.Const("null"), Gen.Const("42"), Gen.Const("true"), Gen.Const("{}"), Gen.Const("[1,2]"), Gen.Const("[\"a\",null]"))));
        Gen.Select(field, field, field, field).Sample((name, value, servers, tools) =>
        {
            var json = $"{{\"name\":{name},\"value\":{value},\"allowedServers\":{servers},\"allowedTools\":{tools}}}";
            CreateSecretRequest? request;
            try
            {
                request = JsonSerializer.Deserialize(json, SecretsJsonContext.Default.CreateSecretRequest);
            }
            catch (JsonException)
            {
                // JsonRequestBody answers these with 400 request.body_invalid.
                return;
            }

            var error = SecretRules.CheckCreate(request.ShouldNotBeNull(), out _);
            if (error is not null)
            {
                s_codes.ShouldContain(error.Code);
            }
        }, iter: Samples);
    }

    [Fact]
    public void CheckName_And_CheckTool_GeneratedText_NeverThrow()
    {
        s_text.Sample(text =>
        {
            (SecretRules.CheckName(text) is null).ShouldBe(SecretRules.IsName(text));
            (SecretRules.CheckTool(text) is null).ShouldBe(SecretRules.IsTool(text));
        }, iter: Samples);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("partner-api-key")]
    [InlineData("0.v1_x-y")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234")]
    public void IsName_ContractShapes_AreNames(string name) => SecretRules.IsName(name).ShouldBeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("-leading")]
    [InlineData(".leading")]
    [InlineData("Upper")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("name\n")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12345")]
    public void IsName_OtherShapes_AreRefused(string name) => SecretRules.IsName(name).ShouldBeFalse();

    [Fact]
    public void CheckValue_SizeLimitIsInUtf8Bytes()
    {
        SecretRules.CheckValue(new string('x', SecretRules.MaxValueBytes), out var max).ShouldBeNull();
        max!.Length.ShouldBe(SecretRules.MaxValueBytes);
        SecretRules.CheckValue(new string('x', SecretRules.MaxValueBytes + 1), out _).ShouldNotBeNull().Code.ShouldBe("request.invalid");
        // 2731 euro signs are 8193 UTF-8 bytes in 2731 UTF-16 code units.
        SecretRules.CheckValue(string.Concat(Enumerable.Repeat("€", 2731)), out _).ShouldNotBeNull().Code.ShouldBe("request.invalid");
        SecretRules.CheckValue(string.Concat(Enumerable.Repeat("€", 2730)), out _).ShouldBeNull();
    }

    [Theory]
    [InlineData("", "request.invalid")]
    [InlineData(null, "request.invalid")]
    [InlineData("a\0b", "request.invalid")]
    public void CheckValue_BadValues_AreRefusedWithTheirCode(string? value, string code) =>
        SecretRules.CheckValue(value, out _).ShouldNotBeNull().Code.ShouldBe(code);

    // Built at run time: attribute arguments cannot carry unpaired surrogates (they become U+FFFD).
    [Fact]
    public void CheckValue_UnpairedSurrogates_AreInvalidText()
    {
        SecretRules.CheckValue("lone " + (char)0xD800 + " surrogate", out _).ShouldNotBeNull().Code.ShouldBe("request.invalid_text");
        SecretRules.CheckValue(((char)0xDC00).ToString(), out _).ShouldNotBeNull().Code.ShouldBe("request.invalid_text");
        SecretRules.CheckValue("pair \ud83d\udd11 ok", out var pair).ShouldBeNull();
        pair!.Length.ShouldBe("pair ".Length + 4 + " ok".Length);
    }

    [Fact]
    public void CheckServers_And_CheckTools_BoundsAndShapes()
    {
        SecretRules.CheckServers(["tools-workspace"]).ShouldBeNull();
        SecretRules.CheckServers([]).ShouldNotBeNull();
        SecretRules.CheckServers(null).ShouldNotBeNull();
        SecretRules.CheckServers(["Tools Workspace"]).ShouldNotBeNull();
        SecretRules.CheckServers([.. Enumerable.Range(0, SecretRules.MaxServers + 1).Select(i => (string?)$"s{i}")]).ShouldNotBeNull();
        SecretRules.CheckTools(["call_connection", "Other.Tool-1"]).ShouldBeNull();
        SecretRules.CheckTools([null]).ShouldNotBeNull();
        SecretRules.CheckTools(["call connection"]).ShouldNotBeNull();
        SecretRules.CheckTools([.. Enumerable.Range(0, SecretRules.MaxTools + 1).Select(i => (string?)$"t{i}")]).ShouldNotBeNull();
    }
}
