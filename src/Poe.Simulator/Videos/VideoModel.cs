namespace Poe.Simulator.Videos;

/// <summary>A Poe video bot as its reference describes it: the durations and sizes it accepts and what it picks by default.</summary>
public sealed record VideoModel(string Name, int DefaultSeconds, int[] Seconds, string DefaultSize, string[] Sizes)
{
    /// <summary>Only OpenAI's Sora bots can remix or extend a video on Poe.</summary>
    public bool CanRemix => Name.StartsWith("Sora-", StringComparison.Ordinal);
}
