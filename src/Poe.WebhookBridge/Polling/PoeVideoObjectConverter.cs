using System.Text.Json;
using System.Text.Json.Serialization;

namespace Poe.WebhookBridge.Polling;

internal sealed class PoeVideoObjectConverter : JsonConverter<PoeVideoObject>
{
    public override PoeVideoObject Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonElement.ParseValue(ref reader));

    public override void Write(Utf8JsonWriter writer, PoeVideoObject value, JsonSerializerOptions options) => value.Json.WriteTo(writer);
}
