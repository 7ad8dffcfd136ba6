namespace Poe.Simulator.Videos;

public enum ProgressCurveKind
{
    /// <summary>Progress rises evenly through the running time.</summary>
    Linear,

    /// <summary>Progress stalls on plateaus and jumps to values unrelated to the time elapsed (shape fixed by the seed).</summary>
    Uneven,

    /// <summary>Progress tracks the time elapsed, a few points ahead or behind, then sits at 99 while the file is finalised.</summary>
    Drifting,
}
