using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlatform.Identity.Exchange;

/// <summary>The RFC 8693 <c>act</c> claim: who acts, nested for each earlier actor.</summary>
public static class ActorChain
{
    /// <summary>
    /// How many actors an <c>act</c> claim names (0 when absent). A malformed claim counts as
    /// unbounded so that it can never pass a depth check.
    /// </summary>
    public static int Depth(string? actJson)
    {
        if (string.IsNullOrEmpty(actJson))
        {
            return 0;
        }

        try
        {
            var depth = 0;
            var current = JsonNode.Parse(actJson);
            while (current is JsonObject actor)
            {
                if (actor["sub"] is not JsonValue)
                {
                    return int.MaxValue;
                }

                depth++;
                current = actor["act"];
            }

            return current is null ? depth : int.MaxValue;
        }
        catch (JsonException)
        {
            return int.MaxValue;
        }
    }

    /// <summary>The new <c>act</c> claim: the acting client, with the subject token's chain nested inside.</summary>
    public static JsonObject Nest(string actorClientId, string? previousActJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorClientId);
        var act = new JsonObject { ["sub"] = actorClientId };
        if (!string.IsNullOrEmpty(previousActJson))
        {
            act["act"] = JsonNode.Parse(previousActJson);
        }

        return act;
    }

    /// <summary>The client ids an <c>act</c> claim names, outermost (most recent) first; empty when absent or malformed.</summary>
    public static IReadOnlyList<string> Actors(string? actJson)
    {
        if (string.IsNullOrEmpty(actJson) || Depth(actJson) == int.MaxValue)
        {
            return [];
        }

        var actors = new List<string>();
        for (var current = JsonNode.Parse(actJson) as JsonObject; current is not null; current = current["act"] as JsonObject)
        {
            actors.Add(current["sub"]!.ToString());
        }

        return actors;
    }
}
