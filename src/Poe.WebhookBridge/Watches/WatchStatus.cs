namespace Poe.WebhookBridge.Watches;

public static class WatchStatus
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Active, Completed, Failed, Cancelled];
}
