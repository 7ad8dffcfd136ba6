namespace Poe.Simulator.Videos;

/// <summary>Body of <c>POST /v1/videos/{id}/remix</c>: Poe's <c>prompt</c>, plus the simulator's <c>simulation</c>.</summary>
public sealed record RemixVideoRequest(string? Prompt, SimulationRequest? Simulation);
