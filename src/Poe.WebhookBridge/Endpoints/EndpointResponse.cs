using System.Text.Json.Serialization;

namespace Poe.WebhookBridge.Endpoints;

/// <summary>
/// An endpoint as its client sees it. <c>pending</c> counts events waiting for delivery, held ones included;
/// <c>failed</c> dead events; the two 24-hour counts are attempts that got a 2xx, and attempts that did not.
/// </summary>
public sealed record EndpointResponse(
    string Id,
    string Url,
    string Status,
    long? FailingSince,
    long? LastSuccessAt,
    long Pending,
    long Failed,
    [property: JsonPropertyName("delivered_last_24h")] long DeliveredLast24h,
    [property: JsonPropertyName("failed_last_24h")] long FailedLast24h);

public sealed record EndpointList(string Object, IReadOnlyList<EndpointResponse> Data, bool HasMore);
