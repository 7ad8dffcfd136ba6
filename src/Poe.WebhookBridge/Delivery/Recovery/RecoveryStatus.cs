namespace Poe.WebhookBridge.Delivery.Recovery;

public static class RecoveryStatus
{
    public const string Running = "running";
    public const string Completed = "completed";

    public static readonly string[] All = [Running, Completed];
}
