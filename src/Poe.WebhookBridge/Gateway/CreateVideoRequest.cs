using System.ComponentModel;
using System.Text.Json;

namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// The body of the gateway's create, remix and extend (documented for OpenAPI): the watch fields, read by the rules of
/// <c>POST /v1/watches</c>, and Poe's own fields, which go to Poe as written.
/// </summary>
public sealed record CreateVideoRequest(
    [property: Description("Absolute https URL (at most 2048 characters, no user-info) that receives the webhooks.")] string CallbackUrl,
    [property: Description("Event types to send; default: all but video.progress.")] IReadOnlyList<string>? Events,
    [property: Description("Up to 16 string pairs, echoed in every webhook.")] IReadOnlyDictionary<string, string>? Metadata,
    [property: Description("Create: a Poe bot name (Sora-2, Sora-2-Pro, Veo-3, Veo-3.1-Fast, …).")] string? Model,
    [property: Description("What the video shows (create), or how to change (remix) or continue (extend) it.")] string? Prompt,
    [property: Description("Create: length in seconds; extend: seconds to add (120 s in all).")] int? Seconds,
    [property: Description("Create: WxH, e.g. 1280x720.")] string? Size,
    [property: Description("Create: a base64 image to start from.")] string? InputImage,
    [property: Description("Extend: the source video, {\"id\": \"video_…\"}.")] JsonElement? Video);
