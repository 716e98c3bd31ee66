namespace McpPlatform.AppHost.Infrastructure;

/// <summary>
/// Chooses the infrastructure mode from the one documented setting
/// (<c>Infrastructure:Mode</c> = <c>auto</c> | <c>containers</c> | <c>local</c>), the execution
/// context and, for <c>auto</c>, whether a container engine answers.
/// </summary>
public static class InfrastructureModeSelector
{
    /// <summary>The configuration key of the setting (env: <c>Infrastructure__Mode</c>).</summary>
    public const string SettingKey = "Infrastructure:Mode";

    /// <summary>Chooses the mode.</summary>
    /// <param name="configured">The setting's value; null or empty means <c>auto</c>.</param>
    /// <param name="isPublishMode">True when the AppHost publishes a deployment manifest.</param>
    /// <param name="probe">Asked only when the setting is <c>auto</c> and not publishing.</param>
    /// <returns>The choice and its reason.</returns>
    /// <exception cref="ArgumentException">The setting holds an unknown value.</exception>
    public static InfrastructureChoice Select(string? configured, bool isPublishMode, IContainerEngineProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var value = string.IsNullOrWhiteSpace(configured) ? "auto" : configured.Trim().ToLowerInvariant();
        if (value is not ("auto" or "containers" or "local"))
        {
            throw new ArgumentException(
                $"{SettingKey} is '{configured}'; expected 'auto', 'containers' or 'local'.", nameof(configured));
        }

        // A deployment target runs containers whatever machine publishes: a manifest that
        // named this machine's binaries would deploy nothing.
        if (isPublishMode)
        {
            return new(InfrastructureMode.Containers,
                "publish mode always declares infrastructure as containers" +
                (value == "local" ? $" ({SettingKey}=local applies to run mode only)" : string.Empty));
        }

        if (value == "containers")
        {
            return new(InfrastructureMode.Containers, $"{SettingKey}=containers");
        }

        if (value == "local")
        {
            return new(InfrastructureMode.Local, $"{SettingKey}=local");
        }

        var status = probe.Probe();
        return status.Answered
            ? new(InfrastructureMode.Containers, $"auto: a container engine answered ({status.Detail})")
            : new(InfrastructureMode.Local, $"auto: no container engine answered ({status.Detail})");
    }
}
