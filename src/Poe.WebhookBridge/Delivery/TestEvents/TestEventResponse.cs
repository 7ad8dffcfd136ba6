using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Delivery.TestEvents;

public sealed record TestEventResponse(string EventId) : IDocumentedExample<TestEventResponse>
{
    public static TestEventResponse Example => new("evt_7q2w6e1r5t9y3u8i0o4p2a6s");
}
