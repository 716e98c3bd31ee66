using McpPlatform.ToolsWorkspace.Apis;
using McpPlatform.ToolsWorkspace.Connections;
using Microsoft.Extensions.Options;

namespace McpPlatform.ToolsWorkspace.Tests;

public sealed class ConnectionRulesTests
{
    private static ConnectionRequest Valid() =>
        new("http://localhost:5710", "partner-api-key", "X-Api-Key", null, ["/v1/"], ["get", "POST"]);

    [Fact]
    public void Check_ValidDefinition_IsNormalized()
    {
        var (connection, errors) = ConnectionValidation.Check("partner", Valid() with { BaseUrl = "HTTP://LocalHost:5710/" });

        errors.ShouldBeEmpty();
        connection.ShouldNotBeNull();
        connection.BaseUrl.ShouldBe("http://localhost:5710");
        connection.AllowedMethods.ShouldBe(["GET", "POST"]);
    }

    [Theory]
    [InlineData("localhost:5710")]
    [InlineData("ftp://localhost:5710")]
    [InlineData("http://user:pw@localhost:5710")]
    [InlineData("http://localhost:5710/v1/")]
    [InlineData("http://localhost:5710?x=1")]
    [InlineData("http://localhost:5710#x")]
    [InlineData("http://local host:5710")]
    [InlineData("")]
    public void Check_BaseUrlThatIsNotAnOrigin_IsRefused(string baseUrl)
    {
        ConnectionValidation.Check("partner", Valid() with { BaseUrl = baseUrl }).Errors.ShouldContainKey("baseUrl");
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("content-length")]
    [InlineData("Cookie")]
    [InlineData("Transfer-Encoding")]
    [InlineData("X Api Key")]
    [InlineData("X-Api-Key\r\nX-Injected")]
    [InlineData("")]
    public void Check_CredentialHeaderTheStackOwnsOrMalformed_IsRefused(string header)
    {
        ConnectionValidation.Check("partner", Valid() with { CredentialHeader = header }).Errors.ShouldContainKey("credentialHeader");
    }

    [Fact]
    public void Check_PrefixesAndMethods_FollowTheirRules()
    {
        ConnectionValidation.Check("partner", Valid() with { AllowedPathPrefixes = [] }).Errors.ShouldContainKey("allowedPathPrefixes");
        ConnectionValidation.Check("partner", Valid() with { AllowedPathPrefixes = ["/v1/../"] }).Errors.ShouldContainKey("allowedPathPrefixes");
        ConnectionValidation.Check("partner", Valid() with { AllowedPathPrefixes = ["/v1/?a=b"] }).Errors.ShouldContainKey("allowedPathPrefixes");
        ConnectionValidation.Check("partner", Valid() with { AllowedMethods = ["CONNECT"] }).Errors.ShouldContainKey("allowedMethods");
        ConnectionValidation.Check("partner", Valid() with { AllowedMethods = null }).Errors.ShouldContainKey("allowedMethods");
        ConnectionValidation.Check("partner", Valid() with { CredentialPrefix = "Bearer\n" }).Errors.ShouldContainKey("credentialPrefix");
        ConnectionValidation.Check("partner", Valid() with { SecretName = "Partner Key" }).Errors.ShouldContainKey("secretName");
    }

    [Theory]
    [InlineData("partner", true)]
    [InlineData("a.b_c-1", true)]
    [InlineData("Partner", false)]
    [InlineData("-partner", false)]
    [InlineData("part\u0000ner", false)]
    [InlineData("", false)]
    public void IsName_FollowsTheSecretsNameRule(string name, bool expected)
    {
        ConnectionRules.IsName(name).ShouldBe(expected);
    }

    [Fact]
    public void EgressPolicy_ComparesOrigins_NotStrings()
    {
        var policy = new EgressPolicy(new StaticMonitor(new EgressOptions { AllowedOrigins = ["http://LOCALHOST:5710/"] }));

        policy.IsAllowed("http://localhost:5710").ShouldBeTrue();
        policy.IsAllowed("http://localhost:5711").ShouldBeFalse();
        policy.IsAllowed("https://localhost:5710").ShouldBeFalse();
        policy.IsAllowed("http://localhost:5710.evil.example").ShouldBeFalse();
        new EgressPolicy(new StaticMonitor(new EgressOptions())).IsAllowed("http://localhost:5710").ShouldBeFalse();
    }

    private sealed class StaticMonitor(EgressOptions value) : IOptionsMonitor<EgressOptions>
    {
        public EgressOptions CurrentValue => value;

        public EgressOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EgressOptions, string?> listener) => null;
    }
}
