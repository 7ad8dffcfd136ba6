using System.Text.Json.Serialization;
using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Endpoints;

/// <summary>
/// An endpoint as its client sees it. <c>pending</c> counts events waiting for delivery, held ones included;
/// <c>failed</c> dead events; the two 24-hour counts are attempts that got a 2xx, and attempts that did not.
/// </summary>
public sealed record EndpointResponse(
    string Id,
    string Url,
    [property: AllowedValuesFrom(typeof(EndpointStatus))] string Status,
    long? FailingSince,
    long? LastSuccessAt,
    long Pending,
    long Failed,
    [property: JsonPropertyName("delivered_last_24h")] long DeliveredLast24h,
    [property: JsonPropertyName("failed_last_24h")] long FailedLast24h) : IDocumentedExample<EndpointResponse>
{
    public static EndpointResponse Example => new(
        "ep_5h2k9m4q7w1e8r3t6y0u2i4o", "https://app.example:443", EndpointStatus.Disabled, FailingSince: 1764000000, LastSuccessAt: 1763999000,
        Pending: 3, Failed: 1, DeliveredLast24h: 0, FailedLast24h: 42);
}
