using System.Text;
using System.Text.Json;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// The webhook body of SPEC §4. <c>data</c> is written as the raw JSON Poe returned, so fields Poe adds later reach the
/// consumer untouched; the body is built once and stored, so every retry sends (and signs) the same bytes.
/// </summary>
public static class WebhookPayload
{
    public static string Build(string eventId, string type, DateTimeOffset createdAt, Watch watch, string? videoJson, WatchFailure? failure)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("id", eventId);
            json.WriteString("object", "event");
            json.WriteString("type", type);
            json.WriteNumber("created_at", createdAt.ToUnixTimeSeconds());
            json.WritePropertyName("data");
            if (videoJson is not null)
            {
                json.WriteRawValue(videoJson, skipInputValidation: false);
            }
            else
            {
                json.WriteStartObject();
                json.WriteString("id", watch.VideoId);
                json.WriteString("object", "video");
                json.WriteEndObject();
            }

            json.WriteStartObject("watch");
            json.WriteString("id", watch.Id);
            json.WriteStartObject("metadata");
            foreach (var (key, value) in watch.Metadata)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            if (failure is not null)
            {
                json.WriteStartObject("failure");
                json.WriteString("reason", failure.Reason);
                json.WriteString("message", failure.Message);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
