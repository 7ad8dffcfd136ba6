using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary><c>POST /v1/events/recover</c>: Unix seconds, <c>until</c> inclusive; <c>endpoint</c> an <c>ep_…</c> id.</summary>
public sealed record RecoverRequest(long Since, long? Until = null, string? Endpoint = null) : IDocumentedExample<RecoverRequest>
{
    public static RecoverRequest Example => new(1764400000, 1764440000, "ep_5h2k9m4q7w1e8r3t6y0u2i4o");
}
