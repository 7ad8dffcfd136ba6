namespace Poe.WebhookBridge.Endpoints;

public static class EndpointOrigin
{
    /// <summary>
    /// <c>scheme://host:port</c> with the port always written, so <c>https://a.example</c> and
    /// <c>https://a.example:443</c> are one endpoint; path, query and user-info never enter it (they may carry a token).
    /// </summary>
    public static string Of(string callbackUrl) =>
        new Uri(callbackUrl).GetComponents(UriComponents.SchemeAndServer | UriComponents.StrongPort, UriFormat.UriEscaped);
}
