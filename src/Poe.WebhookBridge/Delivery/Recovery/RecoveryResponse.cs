namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary><c>matched</c>: dead events in the range when asked; <c>queued</c>: those handed back to delivery so far.</summary>
public sealed record RecoveryResponse(string Id, string Status, int Matched, int Queued)
{
    public static RecoveryResponse From(Recovery recovery) => new(recovery.Id, recovery.Status, recovery.Matched, recovery.Queued);
}
