using System.Diagnostics;
using McpPlatform.Core;

namespace McpPlatform.AppHost.Tests.Identity;

/// <summary>Identity pins the tenancy model on first start; a later start with another model is refused.</summary>
public sealed class TenancyDriftTests(PlatformFixture platform)
{
    [Fact]
    public async Task IdentityStart_DifferentTenancyModelThanPinned_ExitsNamingTheMigrationPath()
    {
        // The fixture's identity has pinned Organisation on this database already.
        await platform.WaitForHealthyAsync(PlatformServices.Identity.ResourceName);
        var connectionString = await platform.ConnectionStringAsync(InfrastructureResources.IdentityDatabase);
        var identityDll = Path.Combine(AppHostProcess.RepositoryRoot, "services", "Identity", "bin",
            AppHostProcess.BuildConfiguration, "net10.0", "McpPlatform.Identity.dll");
        File.Exists(identityDll).ShouldBeTrue(identityDll);

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { identityDll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                [$"ConnectionStrings__{InfrastructureResources.IdentityDatabase}"] = connectionString,
                ["Tenancy__Model"] = nameof(TenancyModel.User),
                // What identity needs to start at all besides its database: its own client (audit
                // delivery), with a spool of its own so the fixture's identity keeps its folder.
                ["Identity__ClientSecret"] = Support.DemoSecrets.Get(DemoDirectory.Parameters.IdentityClientSecret),
                ["Audit__SpoolPath"] = Path.Combine(platform.DataFolder, "audit-spool", "identity-drift-test"),
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TestSettings.StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new ShouldAssertException("identity kept running with a drifted tenancy model");
        }

        process.ExitCode.ShouldNotBe(0);
        var text = await output + await errors;
        text.ShouldContain("pinned");
        text.ShouldContain("docs/tenancy.md");
    }
}
