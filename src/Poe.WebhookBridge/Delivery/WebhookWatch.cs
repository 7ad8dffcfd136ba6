using System.Text.Json.Serialization;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

/// <summary>The watch an event is about: its id, its metadata, and why it failed (<c>watch.failed</c> only).</summary>
public sealed record WebhookWatch(
    string Id,
    IReadOnlyDictionary<string, string> Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WatchFailure? Failure = null);
