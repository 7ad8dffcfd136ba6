namespace Poe.WebhookBridge.Polling;

/// <summary>
/// One poll target: a video under one Poe key. Every active watch of that video shares it, so Poe is asked once
/// however many consumers wait. A claim is a lease (<see cref="ClaimedUntil"/>), so a crashed
/// instance's claims come due again by themselves.
/// </summary>
public sealed class VideoPoll
{
    public required string PoeKeyId { get; init; }

    public required string VideoId { get; init; }

    public DateTimeOffset NextPollAt { get; set; }

    /// <summary>Set while an instance polls this video; a claim whose instance died expires by itself.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>
    /// When the last poll's answer arrived (or the client gave up on it): Poe may have seen the request at any moment
    /// until then, so the interval to the next poll counts from here.
    /// </summary>
    public DateTimeOffset? LastPolledAt { get; set; }

    /// <summary>Consecutive transient failures (5xx, time-outs, bad bodies), driving the back-off.</summary>
    public int FailureCount { get; set; }

    public string? LastStatus { get; set; }

    public int? LastProgress { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    // What adaptive polling knows of the video: its kind, its age at Poe, and where its progress was first seen.
    public string? Model { get; set; }

    public string? VideoSeconds { get; set; }

    public DateTimeOffset? VideoCreatedAt { get; set; }

    public DateTimeOffset? ProgressStartedAt { get; set; }

    public int? ProgressStartedValue { get; set; }

    /// <summary>Adaptive polling's estimate of when the video ends, and its spread, as of the last poll.</summary>
    public DateTimeOffset? ExpectedEndAt { get; set; }

    public double? EndSpreadSeconds { get; set; }
}
