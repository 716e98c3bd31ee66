using System.Text.Json.Serialization.Metadata;
using McpPlatform.ServiceDefaults.Apis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpPlatform.Quota.Apis;

/// <summary>The quota APIs' body limit; reading is <see cref="JsonRequestBody"/>.</summary>
internal static class RequestBody
{
    /// <summary>Largest body the quota APIs accept; real requests are a few hundred bytes.</summary>
    public const int MaxBytes = 8 * 1024;

    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo)
        where T : class => JsonRequestBody.ReadAsync(http, typeInfo, MaxBytes);
}
