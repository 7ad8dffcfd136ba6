namespace Poe.WebhookBridge.Polling;

/// <summary>
/// How long videos of one model and length took, from Poe's own created_at/completed_at: the prior adaptive polling
/// starts from before a video shows progress. Kept in PostgreSQL so every instance schedules alike.
/// </summary>
public sealed class DurationStat
{
    public required string Model { get; init; }

    public required string VideoSeconds { get; init; }

    public int Samples { get; set; }

    /// <summary>Running mean of the total duration (queued + generating), in seconds; recent videos weigh more once there are many.</summary>
    public double MeanSeconds { get; set; }

    /// <summary>Running mean absolute deviation from <see cref="MeanSeconds"/>, in seconds.</summary>
    public double DeviationSeconds { get; set; }

    /// <summary>
    /// Running mean of the squared error of the last estimate before the end, in units of that estimate's spread:
    /// about 1 when progress tells the truth, larger when it misleads (adaptive polling then trusts it less).
    /// </summary>
    public double Surprise { get; set; } = 1;
}
