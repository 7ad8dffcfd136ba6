namespace Poe.WebhookBridge.Endpoints;

public static class EndpointStatus
{
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";

    public static readonly string[] All = [Enabled, Disabled];
}
