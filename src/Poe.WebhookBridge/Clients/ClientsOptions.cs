namespace Poe.WebhookBridge.Clients;

/// <summary>The consumer apps allowed to use the REST API, keyed by name (<c>Clients:{name}:…</c>).</summary>
public sealed class ClientsOptions : Dictionary<string, ClientOptions>
{
    public const string SectionName = "Clients";

    public ClientsOptions()
        : base(StringComparer.Ordinal)
    {
    }
}

public sealed class ClientOptions
{
    public string? ApiKey { get; set; }

    public string? SigningSecret { get; set; }

    public string? PreviousSigningSecret { get; set; }

    public string? PoeApiKey { get; set; }
}
