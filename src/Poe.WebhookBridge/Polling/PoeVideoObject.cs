using System.Text.Json;
using System.Text.Json.Serialization;

namespace Poe.WebhookBridge.Polling;

/// <summary>
/// The video object as Poe returned it, written back verbatim (fields Poe adds later included). A type of its own so
/// the OpenAPI document can describe it as Poe's open object with its known fields typed.
/// </summary>
[JsonConverter(typeof(PoeVideoObjectConverter))]
public sealed class PoeVideoObject(JsonElement json)
{
    public JsonElement Json { get; } = json;

    public static PoeVideoObject Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new PoeVideoObject(document.RootElement.Clone());
    }
}
