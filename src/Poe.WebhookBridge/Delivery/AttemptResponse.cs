using Poe.WebhookBridge.Infrastructure.Time;
using Poe.WebhookBridge.Operations.OpenApi;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

public sealed record AttemptResponse(long At, int? StatusCode, int DurationMs, string? Error);
