
namespace Poe.Simulator.Videos;

/// <summary>The simulator's usage shape; the bridge keeps whatever Poe sends.</summary>
public sealed record VideoUsage(int VideoSeconds);
