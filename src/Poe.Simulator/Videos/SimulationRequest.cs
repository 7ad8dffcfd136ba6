using Poe.Simulator.Faults;

namespace Poe.Simulator.Videos;

/// <summary>The <c>simulation</c> block: timings in ms, outcome, curve, seed and a fault script.</summary>
public sealed record SimulationRequest(
    int? QueuedMs, int? RunningMs, string? Outcome, string? Curve, int? Seed, IReadOnlyList<FaultRequest>? Faults)
{
    public static readonly SimulationRequest None = new(null, null, null, null, null, null);

    /// <summary>The spec with this block's timings, outcome, curve, seed and faults.</summary>
    public bool TryApply(VideoSpec spec, out VideoSpec applied, out string error)
    {
        applied = spec;
        if (!TryParse(out var outcome, out var curve, out var faults, out error))
            return false;

        applied = spec with
        {
            QueuedTime = QueuedMs is { } queued ? TimeSpan.FromMilliseconds(queued) : null,
            RunningTime = RunningMs is { } running ? TimeSpan.FromMilliseconds(running) : null,
            Outcome = outcome,
            Curve = curve,
            Seed = Seed,
            Faults = faults,
        };
        return true;
    }

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
