namespace Poe.WebhookBridge.Polling;

/// <summary>
/// What videos of one model and length taught us: their total duration, and how far off the progress-based estimates
/// were (<paramref name="Surprise"/>: the mean squared error in units of the estimate's own spread; 1 when honest).
/// </summary>
public sealed record DurationPrior(double MeanSeconds, double DeviationSeconds, int Samples, double Surprise = 1)
{
    /// <summary>Before any history: a guess that errs short, so the first videos are not polled too late.</summary>
    public static readonly DurationPrior Default = new(90, 45, 0);

    /// <summary>How much to widen progress-based estimates: where progress lied before, it is trusted less.</summary>
    public double Inflation => Math.Sqrt(Math.Clamp(Surprise, 1, 100));
}
