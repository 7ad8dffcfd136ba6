namespace Poe.WebhookBridge.Polling;

public enum PollingStrategy
{
    Fixed,
    Adaptive,
}
