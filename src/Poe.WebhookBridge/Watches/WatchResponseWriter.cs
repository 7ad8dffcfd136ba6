using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Watches;

/// <summary>Serializes a watch exactly as the API writes it, so an idempotent replay is byte-for-byte the original.</summary>
internal sealed class WatchResponseWriter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public string Serialize(WatchResponse watch) => JsonSerializer.Serialize(watch, json.Value.SerializerOptions);
}
