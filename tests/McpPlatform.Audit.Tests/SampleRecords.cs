using McpPlatform.Core;

namespace McpPlatform.Audit.Tests;

/// <summary>Valid tool-call records of one tenant, for tests that only need records to exist.</summary>
internal static class SampleRecords
{
    public static AuditRecord[] Create(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new AuditRecord
        {
            Id = Guid.CreateVersion7(),
            OccurredAt = DateTimeOffset.UtcNow,
            TenantId = "tenant-a",
            AuditPartition = "tenant-a",
            PrincipalId = "agent-1",
            PrincipalType = PrincipalTypes.Agent,
            InvocationId = $"call-{i}",
            Tool = "whoami",
            Outcome = AuditOutcomes.Success,
        }),
    ];
}
