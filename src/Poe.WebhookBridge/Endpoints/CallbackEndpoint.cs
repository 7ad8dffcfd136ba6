namespace Poe.WebhookBridge.Endpoints;

/// <summary>
/// A client's callback origin, tracked from the attempts made to it: the failing streak that can disable it, and the
/// state an operator or the client reads. Changed only through <see cref="EndpointSql"/>.
/// </summary>
public sealed class CallbackEndpoint
{
    public required string Id { get; init; }

    public required string ClientName { get; init; }

    /// <summary>The origin, <c>scheme://host:port</c>, as <see cref="EndpointOrigin.Of"/> writes it.</summary>
    public required string Url { get; init; }

    public string Status { get; set; } = EndpointStatus.Enabled;

    /// <summary>The first failed attempt since the last 2xx; null while the last attempt succeeded.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>Failed attempts since the last 2xx.</summary>
    public int FailedAttempts { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
