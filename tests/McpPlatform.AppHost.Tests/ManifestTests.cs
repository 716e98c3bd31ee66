using System.Text.Json;
using McpPlatform.Core;
using Microsoft.Extensions.DependencyInjection;

namespace McpPlatform.AppHost.Tests;

public sealed class ManifestTests(PlatformFixture platform)
{
    [Fact]
    public async Task Publish_OnMachineWithoutEngine_DeclaresEveryResourceWithInfrastructureAsContainers()
    {
        var folder = TestSettings.NewDataFolder();
        try
        {
            var manifestPath = Path.Combine(folder, "aspire-manifest.json");

            // Infrastructure:Mode=local is passed on purpose: publish mode must ignore it.
            var (exitCode, output) = await AppHostProcess.RunToEndAsync(TestSettings.StartTimeout,
                "--publisher", "manifest", "--output-path", manifestPath, "--Infrastructure:Mode=local");

            exitCode.ShouldBe(0, output);
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath, TestContext.Current.CancellationToken));
            var resources = manifest.RootElement.GetProperty("resources");
            string TypeOf(string name) =>
                resources.TryGetProperty(name, out var resource) ? resource.GetProperty("type").GetString()! : "<missing>";

            TypeOf(InfrastructureResources.Postgres).ShouldBe("container.v0");
            TypeOf(InfrastructureResources.Redis).ShouldBe("container.v0");
            TypeOf(InfrastructureResources.Qdrant).ShouldBe("container.v0");
            resources.GetProperty(InfrastructureResources.Qdrant).GetProperty("image").GetString()!.ShouldStartWith("docker.io/qdrant/qdrant:v");
            foreach (var database in InfrastructureResources.Databases)
            {
                resources.GetProperty(database).GetProperty("connectionString").GetString()!.ShouldContain(database);
            }

            // Every project the running app has (services, migrator) is in the manifest as a project.
            var projects = platform.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().ToList();
            projects.ShouldNotBeEmpty();
            foreach (var project in projects)
            {
                TypeOf(project.Name).ShouldBe("project.v0");
            }

            // Nothing of local mode leaks into a deployment.
            foreach (var resource in resources.EnumerateObject())
            {
                resource.Value.GetProperty("type").GetString().ShouldNotBe("executable.v0", resource.Name);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
