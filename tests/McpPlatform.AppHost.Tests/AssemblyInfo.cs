using McpPlatform.AppHost.Tests;

// One AppHost for the whole assembly: starting the platform is the expensive part, and the
// services bind fixed local ports, so two instances cannot run side by side.
[assembly: AssemblyFixture(typeof(PlatformFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
