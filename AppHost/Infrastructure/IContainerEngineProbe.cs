namespace McpPlatform.AppHost.Infrastructure;

/// <summary>Answers whether a container engine (Docker or Podman) is reachable.</summary>
public interface IContainerEngineProbe
{
    /// <summary>Asks the engine; returns whether one answered and a short description.</summary>
    /// <returns>The probe result.</returns>
    ContainerEngineStatus Probe();
}
