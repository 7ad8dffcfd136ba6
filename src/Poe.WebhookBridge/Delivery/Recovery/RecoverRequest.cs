namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary><c>POST /v1/events/recover</c>: Unix seconds, <c>until</c> inclusive; <c>endpoint</c> an <c>ep_…</c> id.</summary>
public sealed record RecoverRequest(long Since, long? Until = null, string? Endpoint = null);
