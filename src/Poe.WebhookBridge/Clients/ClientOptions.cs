namespace Poe.WebhookBridge.Clients;

public sealed class ClientOptions
{
    public string? ApiKey { get; set; }

    public string? SigningSecret { get; set; }

    public string? PreviousSigningSecret { get; set; }

    public string? PoeApiKey { get; set; }
}
