namespace Poe.WebhookBridge.Polling;

/// <summary>
/// The last video object Poe returned for a poll target, verbatim: what the video's active watches show as their
/// <c>video</c>. Apart from <see cref="VideoPoll"/>, whose row every claim and write-back rewrites whole, so those
/// copies stay narrow; written only when a poll saw the video's status or progress move (nothing else in it changes
/// while a video runs), and removed with its target.
/// </summary>
public sealed class VideoObject
{
    public required string PoeKeyId { get; init; }

    public required string VideoId { get; init; }

    public required string Video { get; set; }
}
