using System.Text.Json;

namespace Poe.WebhookBridge.Gateway;

internal static class PoeBody
{
    /// <summary>The request body as Poe gets it: every member but the watch's own, each value as the caller wrote it.</summary>
    public static byte[] Without(JsonElement root, IReadOnlyCollection<string> names)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject().Where(p => !names.Contains(p.Name)))
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The id of the video object Poe answered with, or null when the answer is not one.</summary>
    public static string? VideoIdOf(string answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            return document.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 and <= 200 } value
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
