namespace Poe.WebhookBridge.Gateway;

public static class GatewayRequestState
{
    public const string InFlight = "in_flight";
    public const string Done = "done";
}
