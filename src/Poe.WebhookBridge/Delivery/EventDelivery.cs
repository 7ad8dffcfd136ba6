using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Delivery;

public sealed record EventDelivery([property: AllowedValuesFrom(typeof(DeliveryStatus))] string Status, IReadOnlyList<AttemptResponse> Attempts, long? NextAttemptAt);
