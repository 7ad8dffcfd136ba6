namespace Poe.Simulator.Videos;

/// <summary>A video named by its id in a request body, as Poe writes it: <c>{"id": "video_…"}</c>.</summary>
public sealed record VideoReference(string? Id);
