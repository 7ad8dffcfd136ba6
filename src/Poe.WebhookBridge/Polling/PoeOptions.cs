namespace Poe.WebhookBridge.Polling;

public sealed class PoeOptions
{
    public const string SectionName = "Poe";

    public Uri BaseUrl { get; set; } = new("https://api.poe.com");

    public string? ApiKey { get; set; }

    public int RequestsPerMinute { get; set; } = 500;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
