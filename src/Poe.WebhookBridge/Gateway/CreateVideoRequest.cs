using System.ComponentModel;

namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// The body of the gateway's create, remix and extend (documented for OpenAPI): the watch fields, read by the rules of
/// <c>POST /v1/watches</c>, and Poe's own fields, which go to Poe as written (any other field Poe takes goes too).
/// </summary>
public sealed record CreateVideoRequest
{
    [Description("Absolute https URL (at most 2048 characters, no user-info) that receives the webhooks.")]
    public required string CallbackUrl { get; init; }

    [Description("Event types to send; default: all but video.progress.")]
    public IReadOnlyList<string>? Events { get; init; }

    [Description("Up to 16 string pairs, echoed in every webhook.")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    [Description("Create: a Poe bot name (Sora-2, Sora-2-Pro, Veo-3, Veo-3.1-Fast, …).")]
    public string? Model { get; init; }

    [Description("What the video shows (create), or how to change (remix) or continue (extend) it.")]
    public string? Prompt { get; init; }

    [Description("Create: length in seconds; extend: seconds to add (120 s in all).")]
    public int? Seconds { get; init; }

    [Description("Create: WxH, e.g. 1280x720.")]
    public string? Size { get; init; }

    [Description("Create: a base64 image to start from.")]
    public string? InputImage { get; init; }

    [Description("Extend: the source video, {\"id\": \"video_…\"}.")]
    public SourceVideo? Video { get; init; }
}
