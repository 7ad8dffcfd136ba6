using System.Text.Json.Serialization;
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

/// <summary>The watch an event is about: its id, its metadata, and why it failed (<c>watch.failed</c> only).</summary>
public sealed record WebhookWatch(
    string Id,
    IReadOnlyDictionary<string, string> Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WatchFailure? Failure = null);
