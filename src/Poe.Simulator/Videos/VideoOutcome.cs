namespace Poe.Simulator.Videos;

public enum VideoOutcome
{
    Completed,
    Failed,
}

public enum ProgressCurveKind
{
    /// <summary>Progress rises evenly through the running time.</summary>
    Linear,

    /// <summary>Progress stalls on plateaus and jumps, like real renders (shape fixed by the seed).</summary>
    Uneven,
}
