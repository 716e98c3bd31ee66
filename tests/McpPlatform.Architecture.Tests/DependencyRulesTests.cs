namespace McpPlatform.Architecture.Tests;

/// <summary>
/// What the shared libraries and services may depend on, read from the project files (direct and
/// through project references). The reasons are in docs/decisions/009-shared-libraries-and-call-pipeline.md.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly string[] DomainLibraries = ["Core", "Knowledge", "Quota.Engine", "Policy"];
    private static readonly string[] QuotaMayReference = ["Core", "Quota.Engine", "Policy", "ServiceDefaults"];

    [Fact]
    public void Core_ReferencesNoProjectAndNoPackage()
    {
        var core = Repository.Projects["Core"];

        core.ProjectReferences.ShouldBeEmpty($"Core is BCL only, but references projects: {string.Join(", ", core.ProjectReferences)}");
        core.PackageReferences.ShouldBeEmpty($"Core is BCL only, but references packages: {string.Join(", ", core.PackageReferences)}");
        core.FrameworkReferences.ShouldBeEmpty($"Core is BCL only, but references frameworks: {string.Join(", ", core.FrameworkReferences)}");
        core.Sdk.ShouldBe("Microsoft.NET.Sdk", "Core is BCL only, so a plain SDK");
    }

    [Fact]
    public void DomainLibraries_ReferenceNeitherTheMcpSdkNorAspNetCore_EvenTransitively()
    {
        var offenders = DomainLibraries
            .SelectMany(Repository.Closure)
            .SelectMany(reached => McpSdk(reached).Concat(AspNetCore(reached)))
            .ToList();

        offenders.ShouldBeEmpty("Core, Knowledge, Quota.Engine and Policy run without the MCP SDK and without ASP.NET Core:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Identity_DoesNotReferenceTheMcpSdk_EvenTransitively()
    {
        var offenders = Repository.Closure("Identity").SelectMany(McpSdk).ToList();

        offenders.ShouldBeEmpty("identity is no MCP server:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Quota_ReferencesOnlyCoreQuotaEnginePolicyAndServiceDefaults()
    {
        var offenders = Repository.Projects["Quota"].ProjectReferences.Except(QuotaMayReference).Select(to => $"Quota -> {to}").ToList();

        offenders.ShouldBeEmpty("the quota service hosts the engine (and reads the policy document) and nothing else of the platform:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void DeployableServices_DoNotReferenceOtherDeployableServices()
    {
        // The AppHost references every service to orchestrate it, and tools-workspace its script
        // worker to ship it (ReferenceOutputAssembly="false"); neither is a code dependency.
        var offenders = Repository.Projects.Values
            .Where(project => project.IsDeployable && project.Name != "AppHost")
            .SelectMany(project => project.ProjectReferences
                .Except(project.BuildOnlyReferences)
                .Where(to => Repository.Projects[to].IsDeployable)
                .Select(to => $"{project.Name} -> {to}"))
            .ToList();

        offenders.ShouldBeEmpty("services share code through libraries, not through each other:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void ToolWorker_ReferencesNothingOfOursAndOnlyJint()
    {
        // It runs tenant scripts in a sandbox: the less it carries, the less a script can reach.
        var worker = Repository.Projects["ToolWorker"];

        worker.ProjectReferences.ShouldBeEmpty("the script worker references no project of ours");
        worker.PackageReferences.ShouldBe(["Jint"], "the script worker is BCL and Jint only");
        worker.FrameworkReferences.ShouldBeEmpty("the script worker is BCL and Jint only");
        worker.Sdk.ShouldBe("Microsoft.NET.Sdk", "the script worker is a plain console app");
        worker.LinkedSources.Select(Path.GetFileName).ShouldBe(["ToolWorkerProtocol.cs"], "the worker shares only the protocol with its host");
    }

    [Fact]
    public void BuildOnlyReferences_PointAtTheScriptWorkerOnly()
    {
        var offenders = Repository.Projects.Values
            .SelectMany(project => project.BuildOnlyReferences.Where(to => to != "ToolWorker").Select(to => $"{project.Name} -> {to}"))
            .ToList();

        offenders.ShouldBeEmpty("a build-only reference ships a process; only the script worker is one:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void LinkedSources_ComeOnlyFromServicesShared()
    {
        var shared = Path.Combine(Repository.Root, "services", "Shared") + Path.DirectorySeparatorChar;
        var offenders = Repository.Projects.Values
            .SelectMany(project => project.LinkedSources
                .Where(source => !source.StartsWith(shared, StringComparison.Ordinal) || !File.Exists(source))
                .Select(source => $"{project.Name} compiles {Path.GetRelativePath(Repository.Root, source)}"))
            .ToList();

        offenders.ShouldBeEmpty("a project compiles another project's files only from services/Shared:\n" + string.Join("\n", offenders));
    }

    private static IEnumerable<string> McpSdk((ProjectFile Project, string Chain) reached) =>
        reached.Project.McpSdkPackages.Select(package => $"{reached.Chain} -> package {package}");

    private static IEnumerable<string> AspNetCore((ProjectFile Project, string Chain) reached) =>
        reached.Project.IsAspNetCore ? [$"{reached.Chain} is ASP.NET Core ({Why(reached.Project)})"] : [];

    private static string Why(ProjectFile project) =>
        project.FrameworkReferences.Contains("Microsoft.AspNetCore.App", StringComparer.OrdinalIgnoreCase) ? "FrameworkReference Microsoft.AspNetCore.App"
        : project.Sdk.Equals("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase) ? "Sdk Microsoft.NET.Sdk.Web"
        : "package " + project.PackageReferences.First(package => package.StartsWith("Microsoft.AspNetCore.", StringComparison.OrdinalIgnoreCase));
}
