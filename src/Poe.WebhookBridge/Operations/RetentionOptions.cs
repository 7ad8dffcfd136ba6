namespace Poe.WebhookBridge.Operations;

public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    public TimeSpan Period { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// When the purge runs (a Hangfire cron: five fields, or six with seconds). Hourly keeps each purge small against a
    /// period in days; a short period (a soak, a test) needs a schedule of the same order, or ended watches pile up
    /// between purges.
    /// </summary>
    public string Schedule { get; set; } = "0 * * * *";
}
