using Poe.WebhookBridge.Operations.OpenApi;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// The webhook body of SPEC §4 as the OpenAPI document describes it. <see cref="WebhookPayload"/> writes the bytes;
/// the contract test holds every body the delivery tests receive to this shape.
/// </summary>
public sealed record WebhookEventBody(
    string Id,
    string Object,
    [property: AllowedValuesFrom(typeof(WatchEventTypes))] string Type,
    long CreatedAt,
    PoeVideoObject Data,
    WebhookWatch Watch);
