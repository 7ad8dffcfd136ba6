namespace Poe.WebhookBridge.Delivery;

public sealed class WebhooksOptions
{
    public const string SectionName = "Webhooks";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    // Bound from configuration: an array replaces this default rather than appending to it (see OptionsSetup).
    public IList<TimeSpan> RetrySchedule { get; set; } = [];

    public bool AllowHttp { get; set; }

    public bool AllowPrivateNetworks { get; set; }

    /// <summary>An endpoint whose every attempt failed for this long (two at least) is disabled and its events held.</summary>
    public TimeSpan DisableEndpointAfter { get; set; } = TimeSpan.FromDays(5);

    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];
}
