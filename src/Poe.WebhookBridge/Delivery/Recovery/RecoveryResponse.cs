using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary><c>matched</c>: dead events in the range when asked; <c>queued</c>: those handed back to delivery so far.</summary>
public sealed record RecoveryResponse(string Id, [property: AllowedValuesFrom(typeof(RecoveryStatus))] string Status, int Matched, int Queued)
    : IDocumentedExample<RecoveryResponse>
{
    public static RecoveryResponse Example => new("rcv_3j8k1l5z9x2c6v0b4n7m1q5w", RecoveryStatus.Running, Matched: 12, Queued: 5);

    public static RecoveryResponse From(Recovery recovery) => new(recovery.Id, recovery.Status, recovery.Matched, recovery.Queued);
}
