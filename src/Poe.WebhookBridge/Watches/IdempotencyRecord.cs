namespace Poe.WebhookBridge.Watches;

/// <summary>The first answer to a request carrying an <c>Idempotency-Key</c>, replayed to repeats for 24 hours.</summary>
public sealed class IdempotencyRecord
{
    public required string ClientName { get; init; }

    public required string Key { get; init; }

    public required string RequestHash { get; init; }

    public int StatusCode { get; init; }

    public required string ResponseBody { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
