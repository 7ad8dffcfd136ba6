using Poe.Simulator.Faults;

namespace Poe.Simulator.Videos;

/// <summary>
/// Body of <c>POST /v1/videos</c>: Poe's fields (<c>model</c> a bot name, <c>seconds</c>, <c>size</c>, <c>prompt</c>,
/// <c>input_image</c>) plus the simulator's own <c>id</c> and <c>simulation</c>. Every field is optional; the model's
/// defaults fill the rest.
/// </summary>
public sealed record CreateVideoRequest(
    string? Id, string? Model, int? Seconds, string? Size, string? Prompt, string? InputImage, SimulationRequest? Simulation)
{
    /// <param name="error">Poe's message; <paramref name="code"/> its error code.</param>
    public bool TryToSpec(out VideoSpec spec, out string error, out string code)
    {
        spec = new VideoSpec();
        code = "invalid_simulation";
        if (!(Simulation ?? SimulationRequest.None).TryApply(spec, out spec, out error))
            return false;

        code = "invalid_request";
        if (VideoModels.Find(Model ?? VideoModels.DefaultName) is not { } model)
        {
            (error, code) = ($"Unknown model '{Model}'.", "model_not_found");
            return false;
        }

        var seconds = Seconds ?? model.DefaultSeconds;
        var size = Size ?? model.DefaultSize;
        error = !model.Seconds.Contains(seconds) ? $"{model.Name} makes videos of {string.Join(", ", model.Seconds)} seconds."
            : !model.Sizes.Contains(size) ? $"{model.Name} makes videos of size {string.Join(", ", model.Sizes)}."
            : "";
        if (error.Length > 0)
            return false;

        spec = spec with { Id = string.IsNullOrWhiteSpace(Id) ? null : Id, Model = model.Name, Seconds = seconds, Size = size, Prompt = Prompt };
        return true;
    }
}

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
