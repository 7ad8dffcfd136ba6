namespace Poe.Simulator.Videos;

/// <summary>
/// Body of <c>POST /v1/videos/extensions</c>: Poe's <c>video</c> (<c>{"id"}</c> of the source), <c>prompt</c> and
/// <c>seconds</c> to add, plus the simulator's <c>simulation</c>.
/// </summary>
public sealed record ExtendVideoRequest(VideoReference? Video, string? Prompt, int? Seconds, SimulationRequest? Simulation);
