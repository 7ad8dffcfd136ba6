using System.Text.Json;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// How a watch's metadata is stored in the jsonb column <c>watches.metadata</c>: one serialization for EF Core and for
/// the registration statement, so a watch reads back the same whichever path wrote it.
/// </summary>
internal static class WatchMetadata
{
    public static string ToJson(Dictionary<string, string> metadata) => JsonSerializer.Serialize(metadata, (JsonSerializerOptions?)null);

    public static Dictionary<string, string> FromJson(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? [];
}
