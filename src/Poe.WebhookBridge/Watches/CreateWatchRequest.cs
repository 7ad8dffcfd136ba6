using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// The body of <c>POST /v1/watches</c>, as the document describes it; <see cref="CreateWatchRequestReader"/> parses it
/// strictly (an unknown field is a 400), which the unmapped-member setting states for the document.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateWatchRequest(
    [property: Description("The Poe video id: 1-200 characters of [A-Za-z0-9._:-], starting with a letter or digit.")]
    [property: StringLength(200, MinimumLength = 1)]
    [property: RegularExpression("^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
    string VideoId,
    [property: Description("Absolute https URL (at most 2048 characters, no user-info) that receives the webhooks.")]
    [property: StringLength(2048)]
    string CallbackUrl,
    [property: Description("Event types to send; default: all but video.progress.")]
    [property: AllowedValuesFrom(typeof(WatchEventTypes), nameof(WatchEventTypes.Subscribable))]
    [property: MinLength(1)]
    IReadOnlyList<string>? Events = null,
    [property: Description("Up to 16 string pairs (keys at most 64, values at most 512 characters), echoed in every webhook.")]
    IReadOnlyDictionary<string, string>? Metadata = null) : IDocumentedExample<CreateWatchRequest>
{
    public static CreateWatchRequest Example => new(
        "video_123", "https://app.example/hooks/poe", [WatchEventTypes.VideoCompleted, WatchEventTypes.VideoFailed, WatchEventTypes.WatchFailed],
        new Dictionary<string, string> { ["order"] = "42" });
}
