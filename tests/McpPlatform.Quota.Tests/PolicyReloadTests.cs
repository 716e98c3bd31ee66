using System.Net;
using System.Text.Json;
using McpPlatform.Core;
using McpPlatform.Quota.Tests.Support;

namespace McpPlatform.Quota.Tests;

/// <summary>
/// The quota service reads its limits from the platform policy document and follows edits of the
/// file: a valid edit is enforced within seconds, an invalid one is refused and the last good
/// version stays in force. Real service pipeline, real Redis, the fixture's own document.
/// </summary>
public sealed class PolicyReloadTests(QuotaApiHost host) : IClassFixture<QuotaApiHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string AdmitToken => host.Token(PlatformScopes.QuotaAdmit);

    [Fact]
    public async Task PolicyEdit_RaisesTenantCap_QuotaEnforcesTheNewCapWithinSeconds()
    {
        var tenant = Engines.NewTenant("contoso");
        for (var i = 0; i < QuotaApiHost.TenantCap; i++)
        {
            (await AdmitAsync(tenant)).GetProperty("granted").GetBoolean().ShouldBeTrue();
        }

        (await AdmitAsync(tenant)).GetProperty("granted").GetBoolean().ShouldBeFalse("the tier's cap holds before the edit");

        await host.WritePolicyAsync(QuotaApiHost.Policy(version: 2, tenants: $"{{ {tenant}: {{ limits: {{ tenantConcurrency: 3 }} }} }}"));

        // Denials consume nothing, so asking again until one is granted changes no count.
        await EventuallyAsync(async () => (await AdmitAsync(tenant)).GetProperty("granted").GetBoolean(), "the raised cap was never enforced");
        var denied = await AdmitAsync(tenant);
        denied.GetProperty("granted").GetBoolean().ShouldBeFalse("the new cap is 3, not unlimited");
        denied.GetProperty("denial").GetProperty("code").GetString().ShouldBe(ReasonCodes.ConcurrencyTenant);
        denied.GetProperty("denial").GetProperty("limit").GetDecimal().ShouldBe(3);
        host.PolicySource.Version.ShouldStartWith("2-");
    }

    [Fact]
    public async Task PolicyEdit_Invalid_IsRefusedWithEveryErrorAndTheLastGoodCapStaysInForce()
    {
        var tenant = Engines.NewTenant("fabrikam");
        await host.WritePolicyAsync(QuotaApiHost.Policy(version: 10, tenants: $"{{ {tenant}: {{ limits: {{ tenantConcurrency: 1 }} }} }}"));
        await EventuallyAsync(() => Task.FromResult(host.PolicySource.Version.StartsWith("10-", StringComparison.Ordinal)), "version 10 was never applied");

        // Would raise the cap to 5, but names a tier that does not exist and a rate quota cannot apply.
        await host.WritePolicyAsync(QuotaApiHost.Policy(version: 11,
            tenants: $"{{ {tenant}: {{ tier: gold, limits: {{ tenantConcurrency: 5, tenantRatePerSecond: 0 }} }} }}"));
        await EventuallyAsync(() => Task.FromResult(RefusedWith("tier.unknown", $"$.tenants['{tenant}'].tier")), "the invalid edit was never refused");
        RefusedWith("quota.limits", $"$.tenants['{tenant}'].limits").ShouldBeTrue("every error is listed, quota's own ones too");

        host.PolicySource.Version.ShouldStartWith("10-");
        (await AdmitAsync(tenant)).GetProperty("granted").GetBoolean().ShouldBeTrue();
        var denied = await AdmitAsync(tenant);
        denied.GetProperty("granted").GetBoolean().ShouldBeFalse("version 10's cap of 1 stays in force");
        denied.GetProperty("denial").GetProperty("limit").GetDecimal().ShouldBe(1);
    }

    [Fact]
    public async Task PolicyEdit_ZeroRate_IsRefusedByQuotasOwnCheckWithThePath()
    {
        var tenant = Engines.NewTenant("contoso");
        await host.WritePolicyAsync(QuotaApiHost.Policy(version: 20, tenants: $"{{ {tenant}: {{ limits: {{ tenantRatePerSecond: 0 }} }} }}"));

        await EventuallyAsync(() => Task.FromResult(RefusedWith("quota.limits", $"$.tenants['{tenant}'].limits")), "the edit was never refused");

        host.PolicySource.Version.ShouldNotStartWith("20-");
    }

    private bool RefusedWith(string rule, string path) =>
        host.PolicySource.RefusedErrors?.Any(error => error.Rule == rule && error.Path == path) == true;

    private async Task<JsonElement> AdmitAsync(string tenant)
    {
        using var response = await host.Client.SendAsync(QuotaApiHost.Request(HttpMethod.Post, "/v1/leases", AdmitToken, QuotaApiHost.AdmitBody(tenant)), Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return document.RootElement.Clone();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string failure)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(Patience);
        while (!await condition())
        {
            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
            {
                throw new ShouldAssertException($"{failure} within {Patience.TotalSeconds} s");
            }
        }
    }
}
