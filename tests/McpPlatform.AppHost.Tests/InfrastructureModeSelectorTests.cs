using McpPlatform.AppHost.Infrastructure;

namespace McpPlatform.AppHost.Tests;

public sealed class InfrastructureModeSelectorTests
{
    [Fact]
    public void Select_AutoWithEngineAnswering_ChoosesContainers()
    {
        var probe = new FakeProbe(new(true, "docker server 28.2.2"));

        var choice = InfrastructureModeSelector.Select(null, isPublishMode: false, probe);

        choice.Mode.ShouldBe(InfrastructureMode.Containers);
        choice.Reason.ShouldContain("docker server 28.2.2");
        probe.Calls.ShouldBe(1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData(" AUTO ")]
    public void Select_AutoWithNoEngine_ChoosesLocalAndSaysWhy(string? configured)
    {
        var probe = new FakeProbe(new(false, "docker: client present, engine not reachable"));

        var choice = InfrastructureModeSelector.Select(configured, isPublishMode: false, probe);

        choice.Mode.ShouldBe(InfrastructureMode.Local);
        choice.Reason.ShouldContain("no container engine answered");
        choice.Reason.ShouldContain("engine not reachable");
    }

    [Theory]
    [InlineData("local", true, InfrastructureMode.Local)]
    [InlineData("Local", true, InfrastructureMode.Local)]
    [InlineData("containers", false, InfrastructureMode.Containers)]
    public void Select_Overridden_IgnoresTheEngine(string configured, bool engineAnswers, InfrastructureMode expected)
    {
        var probe = new FakeProbe(new(engineAnswers, "whatever"));

        var choice = InfrastructureModeSelector.Select(configured, isPublishMode: false, probe);

        choice.Mode.ShouldBe(expected);
        choice.Reason.ShouldContain(InfrastructureModeSelector.SettingKey);
        probe.Calls.ShouldBe(0);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("auto")]
    [InlineData(null)]
    public void Select_PublishMode_AlwaysContainers(string? configured)
    {
        var probe = new FakeProbe(new(false, "no engine"));

        var choice = InfrastructureModeSelector.Select(configured, isPublishMode: true, probe);

        choice.Mode.ShouldBe(InfrastructureMode.Containers);
        choice.Reason.ShouldContain("publish mode");
        probe.Calls.ShouldBe(0);
    }

    [Fact]
    public void Select_UnknownValue_FailsNamingTheSettingAndChoices()
    {
        var error = Should.Throw<ArgumentException>(
            () => InfrastructureModeSelector.Select("kubernetes", isPublishMode: false, new FakeProbe(new(true, "x"))));

        error.Message.ShouldContain("Infrastructure:Mode");
        error.Message.ShouldContain("kubernetes");
        error.Message.ShouldContain("'local'");
    }

    [Fact]
    public void ContainerEngineProbe_OnThisMachine_AnswersWithoutThrowing()
    {
        // Whatever this machine has, the real probe must return a verdict with a reason.
        var status = new ContainerEngineProbe().Probe();

        status.Detail.ShouldNotBeNullOrWhiteSpace();
    }

    /// <summary>Stands in for Docker/Podman, which cannot be installed or stopped at will in a test.</summary>
    private sealed class FakeProbe(ContainerEngineStatus status) : IContainerEngineProbe
    {
        public int Calls { get; private set; }

        public ContainerEngineStatus Probe()
        {
            Calls++;
            return status;
        }
    }
}
