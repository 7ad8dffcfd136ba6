using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Endpoints;

public sealed record EndpointList(string Object, IReadOnlyList<EndpointResponse> Data, bool HasMore) : IDocumentedExample<EndpointList>
{
    public static EndpointList Example => new("list", [EndpointResponse.Example], HasMore: false);
}
