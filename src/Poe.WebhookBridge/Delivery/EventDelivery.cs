using Poe.WebhookBridge.Infrastructure.Time;
using Poe.WebhookBridge.Operations.OpenApi;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

public sealed record EventDelivery([property: AllowedValuesFrom(typeof(DeliveryStatus))] string Status, IReadOnlyList<AttemptResponse> Attempts, long? NextAttemptAt);
