namespace Poe.Simulator.Videos;

/// <summary>The video bots the simulator knows, by their Poe bot names (matched case-insensitively, as Poe does).</summary>
public static class VideoModels
{
    public const string DefaultName = "Sora-2";

    /// <summary>Longest a video may become through extensions.</summary>
    public const int MaxExtendedSeconds = 120;

    private static readonly string[] SoraSizes = ["720x1280", "1280x720"];
    private static readonly string[] SoraProSizes = [.. SoraSizes, "1024x1792", "1792x1024"];
    private static readonly string[] VeoSizes = ["1280x720", "720x1280", "1920x1080", "1080x1920"];

    private static readonly VideoModel[] All =
    [
        new("Sora-2", 4, [4, 8, 12], "720x1280", SoraSizes),
        new("Sora-2-Pro", 4, [4, 8, 12], "720x1280", SoraProSizes),
        new("Veo-3", 8, [4, 6, 8], "1280x720", VeoSizes),
        new("Veo-3-Fast", 8, [4, 6, 8], "1280x720", VeoSizes),
        new("Veo-3.1", 8, [4, 6, 8], "1280x720", VeoSizes),
        new("Veo-3.1-Fast", 8, [4, 6, 8], "1280x720", VeoSizes),
    ];

    public static VideoModel? Find(string name) => All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a video of this model can be remixed or extended; a name the catalog lacks cannot.</summary>
    public static bool CanRemix(string name) => Find(name)?.CanRemix == true;
}
