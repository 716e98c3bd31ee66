using McpPlatform.Core;
using McpPlatform.ToolsKnowledge.Models;

namespace McpPlatform.ToolsKnowledge.Onboarding;

/// <summary>
/// The demo knowledge seeded in Development: the same topics for <c>contoso</c> and
/// <c>fabrikam</c> (expenses, VPN access, incident response) with different facts and a canary
/// string per tenant, so asking both tenants the same question shows each gets only its own.
/// </summary>
public static class DemoCorpus
{
    /// <summary>Appears in every Contoso demo document and nowhere else.</summary>
    public const string ContosoCanary = "CONTOSO-CANARY-3F9A";

    /// <summary>Appears in every Fabrikam demo document and nowhere else.</summary>
    public const string FabrikamCanary = "FABRIKAM-CANARY-7C21";

    /// <summary>Metadata every demo document carries (<c>origin=demo</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string> Metadata = new Dictionary<string, string> { ["origin"] = "demo" };

    /// <summary>The demo documents of a tenant; empty for a tenant that is not a demo tenant.</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns>Ingest requests with fixed document ids (re-seeding replaces, never duplicates).</returns>
    public static IReadOnlyList<IngestRequest> For(string tenantId) => tenantId switch
    {
        DemoDirectory.ContosoTenantId => Contoso,
        DemoDirectory.FabrikamTenantId => Fabrikam,
        _ => [],
    };

    private static readonly IngestRequest[] Contoso =
    [
        Document("demo-expenses", "Contoso travel and expense policy",
            "Contoso employees submit travel expenses in the Ledgerline portal within 30 days of the trip. Hotel nights are reimbursed up to 180 euros, " +
            "meals up to 60 euros a day, and economy class is required for flights under six hours. Receipts above 25 euros must be photographed. " +
            $"Questions go to expenses@contoso.example. Internal reference: {ContosoCanary}."),
        Document("demo-vpn", "Contoso VPN and remote access",
            "To work remotely at Contoso, install the NorthGate VPN client and connect to gateway vpn-eu.contoso.example with your badge number and " +
            "a hardware security key. Split tunnelling is disabled. Sessions end after ten hours. If the connection fails, restart the client and " +
            $"call the Contoso help desk at extension 4400. Internal reference: {ContosoCanary}."),
        Document("demo-incidents", "Contoso incident response runbook",
            "When a Contoso production service is down, the on-call engineer opens a Sev-1 ticket in Beacon within five minutes, pages the incident " +
            "commander through the Lighthouse rota, and posts updates every 15 minutes in the #contoso-incident channel. A blameless postmortem is " +
            $"due within three working days. Internal reference: {ContosoCanary}."),
    ];

    private static readonly IngestRequest[] Fabrikam =
    [
        Document("demo-expenses", "Fabrikam expense reimbursement rules",
            "Fabrikam staff claim travel costs through the Quillpay app no later than 45 days after returning. Hotels are covered up to 220 dollars a " +
            "night, daily meals up to 75 dollars, and business class is allowed on flights longer than eight hours. Every receipt must be uploaded. " +
            $"Contact finance-help@fabrikam.example. Internal reference: {FabrikamCanary}."),
        Document("demo-vpn", "Fabrikam remote access and VPN guide",
            "Fabrikam remote workers use the Tunnelwise VPN with the gateway remote.fabrikam.example and sign in with their directory password and " +
            "a one-time code from the authenticator app. Split tunnelling is allowed for video calls. Sessions last twelve hours. Connection problems " +
            $"are reported to the Fabrikam service desk at extension 7100. Internal reference: {FabrikamCanary}."),
        Document("demo-incidents", "Fabrikam outage handling procedure",
            "During a Fabrikam outage the duty engineer declares a P1 incident in Stormwatch within ten minutes, calls the duty manager from the " +
            "Harbor rota, and writes status updates every 30 minutes on the Fabrikam status page. The incident review happens within five working days. " +
            $"Internal reference: {FabrikamCanary}."),
    ];

    private static IngestRequest Document(string id, string title, string text) =>
        new(title, text, id, null, Metadata);
}
