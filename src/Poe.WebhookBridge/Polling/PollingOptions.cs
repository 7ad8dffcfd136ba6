namespace Poe.WebhookBridge.Polling;

public sealed class PollingOptions
{
    public const string SectionName = "Polling";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    public PollingStrategy Strategy { get; set; } = PollingStrategy.Adaptive;

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan NotFoundGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan MaxWatchDuration { get; set; } = TimeSpan.FromDays(1);
}
