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
