using System.Text.Json;

namespace Poe.WebhookBridge.Watches;

/// <summary>A request body that passed <see cref="WatchRequestInput"/>: its bytes, its <c>Idempotency-Key</c> and its JSON.</summary>
internal sealed record WatchRequestBody(byte[] Body, string? Key, JsonDocument Document) : IDisposable
{
    public void Dispose() => Document.Dispose();
}
