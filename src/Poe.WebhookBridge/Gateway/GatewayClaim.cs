namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// What claiming an <c>Idempotency-Key</c> found: this request now holds it (<see cref="Owner"/> set), or the state of
/// the first request with it (<see cref="GatewayRequestState"/>, or <see cref="Mismatch"/> for another body).
/// </summary>
public sealed record GatewayClaim(string State, string? Owner, DateTimeOffset UnknownAfter, int? StatusCode, string? ResponseBody, string? Location)
{
    public const string Mismatch = "mismatch";

    public static GatewayClaim Started(string owner) => new(GatewayRequestState.InFlight, owner, default, null, null, null);
}
