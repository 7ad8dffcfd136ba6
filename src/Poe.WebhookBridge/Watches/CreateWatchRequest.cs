using System.ComponentModel;

namespace Poe.WebhookBridge.Watches;

/// <summary>The body of <c>POST /v1/watches</c> (documented for OpenAPI; parsed strictly by <see cref="CreateWatchRequestReader"/>).</summary>
public sealed record CreateWatchRequest(
    [property: Description("The Poe video id: 1-200 characters of [A-Za-z0-9._:-], starting with a letter or digit.")] string VideoId,
    [property: Description("Absolute https URL (at most 2048 characters, no user-info) that receives the webhooks.")] string CallbackUrl,
    [property: Description("Event types to send; default: all but video.progress.")] IReadOnlyList<string>? Events,
    [property: Description("Up to 16 string pairs (keys at most 64, values at most 512 characters), echoed in every webhook.")] IReadOnlyDictionary<string, string>? Metadata);
