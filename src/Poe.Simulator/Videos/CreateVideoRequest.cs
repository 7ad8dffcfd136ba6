using Poe.Simulator.Faults;

namespace Poe.Simulator.Videos;

/// <summary>Body of <c>POST /v1/videos</c>; every field is optional.</summary>
public sealed record CreateVideoRequest(
    string? Id, string? Model, string? Seconds, string? Size, string? Prompt, SimulationRequest? Simulation)
{
    public bool TryToSpec(out VideoSpec spec, out string error)
    {
        spec = new VideoSpec();
        error = "";
        var simulation = Simulation ?? new SimulationRequest(null, null, null, null, null, null);
        if (!simulation.TryParse(out var outcome, out var curve, out var faults, out error))
            return false;

        spec = new VideoSpec
        {
            Id = string.IsNullOrWhiteSpace(Id) ? null : Id,
            Model = Model ?? spec.Model,
            Seconds = Seconds ?? spec.Seconds,
            Size = Size ?? spec.Size,
            Prompt = Prompt,
            QueuedTime = simulation.QueuedMs is { } queued ? TimeSpan.FromMilliseconds(queued) : null,
            RunningTime = simulation.RunningMs is { } running ? TimeSpan.FromMilliseconds(running) : null,
            Outcome = outcome,
            Curve = curve,
            Seed = simulation.Seed,
            Faults = faults,
        };
        return true;
    }
}

/// <summary>The <c>simulation</c> block: timings in ms, outcome, curve, seed and a fault script.</summary>
public sealed record SimulationRequest(
    int? QueuedMs, int? RunningMs, string? Outcome, string? Curve, int? Seed, IReadOnlyList<FaultRequest>? Faults)
{
    public bool TryParse(out VideoOutcome outcome, out ProgressCurveKind? curve, out List<Fault> faults, out string error)
    {
        outcome = Outcome is "failed" ? VideoOutcome.Failed : VideoOutcome.Completed;
        curve = Curve switch { "linear" => ProgressCurveKind.Linear, "uneven" => ProgressCurveKind.Uneven, "drifting" => ProgressCurveKind.Drifting, _ => null };
        faults = [];
        error = (QueuedMs, RunningMs, Outcome, Curve) switch
        {
            ( < 0, _, _, _) or (_, < 0, _, _) => "\"queued_ms\" and \"running_ms\" must not be negative.",
            (_, _, not (null or "completed" or "failed"), _) => "\"outcome\" must be \"completed\" or \"failed\".",
            (_, _, _, not (null or "linear" or "uneven" or "drifting")) => "\"curve\" must be \"linear\", \"uneven\" or \"drifting\".",
            _ => "",
        };
        if (error.Length > 0)
            return false;

        foreach (var request in Faults ?? [])
        {
            if (request is null || !request.TryParse(out var fault, out error))
            {
                error = error.Length > 0 ? error : "A fault must be an object.";
                return false;
            }
            faults.Add(fault);
        }
        return true;
    }
}
