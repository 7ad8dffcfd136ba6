namespace Poe.WebhookBridge.Operations;

public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    public TimeSpan Period { get; set; } = TimeSpan.FromDays(30);
}
