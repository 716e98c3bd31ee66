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

        // The same demo policy document the platform runs with, but with the User model.
        var demoPolicy = Path.Combine(AppHostProcess.RepositoryRoot, "AppHost", PlatformPolicyFile.AppHostRelativePath);
        var driftedPolicy = Path.Combine(platform.DataFolder, "tenancy-drift-policy.yaml");
        var text = await File.ReadAllTextAsync(demoPolicy, TestContext.Current.CancellationToken);
        text.ShouldContain("model: Organisation");
        await File.WriteAllTextAsync(driftedPolicy, text.Replace("model: Organisation", $"model: {nameof(TenancyModel.User)}", StringComparison.Ordinal),
            TestContext.Current.CancellationToken);

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
                [PlatformPolicyFile.EnvironmentVariable] = driftedPolicy,
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
        var logged = await output + await errors;
        logged.ShouldContain("pinned");
        logged.ShouldContain("docs/tenancy.md");
    }
}
