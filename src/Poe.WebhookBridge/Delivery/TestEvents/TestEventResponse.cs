namespace Poe.WebhookBridge.Delivery.TestEvents;

public sealed record TestEventResponse(string EventId);
