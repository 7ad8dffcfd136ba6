namespace Poe.WebhookBridge.Gateway;

/// <summary>An answer of the gateway exactly as sent (JSON or problem JSON), so a repeat with the same key gets the same bytes.</summary>
public sealed record GatewayAnswer(int Status, string Body, string? Location = null)
{
    public string ContentType => Status < 300 ? "application/json" : "application/problem+json";
}
