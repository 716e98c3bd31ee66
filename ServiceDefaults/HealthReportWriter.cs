using System.Globalization;
using System.Text.Json;
using McpPlatform.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpPlatform.ServiceDefaults;

/// <summary>
/// Writes <c>/health</c> as JSON: the overall status, and each check's name and status. Only a
/// check tagged <see cref="HealthEndpoints.DetailsTag"/> adds its description, a sentence the
/// service wrote about itself, and only a check tagged <see cref="HealthEndpoints.DataTag"/> adds
/// its data (as strings); exception text and configuration values never appear.
/// </summary>
internal static class HealthReportWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", report.Status.ToString());
        writer.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("status", entry.Status.ToString());
            if (entry.Tags.Contains(HealthEndpoints.DetailsTag) && entry.Description is { } description)
            {
                writer.WriteString("description", description);
            }

            if (entry.Tags.Contains(HealthEndpoints.DataTag) && entry.Data.Count > 0)
            {
                writer.WriteStartObject("data");
                foreach (var (key, value) in entry.Data.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
