
namespace Poe.WebhookBridge.Delivery;

public sealed record AttemptResponse(long At, int? StatusCode, int DurationMs, string? Error);
