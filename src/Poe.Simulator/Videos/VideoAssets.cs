namespace Poe.Simulator.Videos;

/// <summary>
/// The files every completed simulated video serves, one per Poe content variant: a real (tiny) H.264 MP4, WebP
/// thumbnail and JPEG spritesheet, shipped as resources so a client can check types, lengths and bytes end to end.
/// </summary>
public static class VideoAssets
{
    public const string Thumbnail = "thumbnail";
    public const string Spritesheet = "spritesheet";

    private static readonly Lazy<VideoAsset> Video = new(() => Load("video.mp4", "video/mp4"));
    private static readonly Lazy<VideoAsset> Thumb = new(() => Load("thumb.webp", "image/webp"));
    private static readonly Lazy<VideoAsset> Sprite = new(() => Load("sprite.jpg", "image/jpeg"));

    /// <summary>The asset of a variant (none: the video itself); null for a variant Poe does not have.</summary>
    public static VideoAsset? For(string? variant) => variant switch
    {
        null or "" or "video" => Video.Value,
        Thumbnail => Thumb.Value,
        Spritesheet => Sprite.Value,
        _ => null,
    };

    private static VideoAsset Load(string file, string contentType)
    {
        using var stream = typeof(VideoAssets).Assembly.GetManifestResourceStream($"Poe.Simulator.Videos.Assets.{file}")
            ?? throw new InvalidOperationException($"The simulator was built without its asset {file}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new VideoAsset(copy.ToArray(), contentType);
    }
}
