using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Delivery;

public sealed record EventList(string Object, IReadOnlyList<EventResponse> Data, bool HasMore) : IDocumentedExample<EventList>
{
    public static EventList Example => new("list", [EventResponse.Example], HasMore: false);
}
