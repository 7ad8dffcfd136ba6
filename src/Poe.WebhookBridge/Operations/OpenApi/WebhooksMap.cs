using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// The OpenAPI 3.1 <c>webhooks</c> map: one entry per event type the bridge sends (<see cref="WatchEventTypes.All"/>),
/// each with the payload schema, the Standard Webhooks headers and what the consumer's answer means (SPEC §4).
/// </summary>
internal static class WebhooksMap
{
    private const string PayloadSchema = "WebhookEvent";

    private static readonly Dictionary<string, string> When = new()
    {
        [WatchEventTypes.VideoCompleted] = "Poe reports the video completed.",
        [WatchEventTypes.VideoFailed] = "Poe reports the video failed (data.error as Poe gave it).",
        [WatchEventTypes.VideoProgress] = "Opt-in: the status or progress changed while not terminal; coalesced, the latest state wins.",
        [WatchEventTypes.WatchFailed] = "The bridge gave up on the watch (watch.failure says why); data is the last video object seen, or just {id, object}.",
        [WatchEventTypes.WatchTest] = "Asked for with POST /v1/watches/{id}/test, to check an endpoint and its signature code; data is the watch's last video object, or just {id, object}.",
    };

    public static async Task ApplyAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent(PayloadSchema, await context.GetOrCreateSchemaAsync(typeof(WebhookEventBody), cancellationToken: cancellationToken));
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var type in WatchEventTypes.All)
        {
            document.Webhooks[type] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = Operation(document, type) },
            };
        }
    }

    private static OpenApiOperation Operation(OpenApiDocument document, string type) => new()
    {
        OperationId = type,
        Summary = type,
        Description = $"{When.GetValueOrDefault(type, "")} POSTed to the watch's callback_url; retried on the retry schedule until a 2xx (consumers deduplicate on webhook-id).".TrimStart(),
        Tags = new HashSet<OpenApiTagReference> { new("Webhooks", document) },
        Parameters =
        [
            Header("webhook-id", "The event id (evt_…), stable across retries: deduplicate on it.", JsonSchemaType.String),
            Header("webhook-timestamp", "Unix seconds of this attempt.", JsonSchemaType.Integer),
            Header("webhook-signature", "v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\">, space-separated when a previous secret also signs.", JsonSchemaType.String),
        ],
        RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        AllOf = [new OpenApiSchemaReference(PayloadSchema, document), new OpenApiSchema { Properties = new Dictionary<string, IOpenApiSchema> { ["type"] = new OpenApiSchema { Const = type } } }],
                    },
                    Example = JsonNode.Parse(WebhookExamples.For(type)),
                },
            },
        },
        Responses = new OpenApiResponses
        {
            ["2XX"] = new OpenApiResponse { Description = "Delivered: no further attempt." },
            ["410"] = new OpenApiResponse { Description = "Gone: the bridge stops retrying and cancels the watch." },
            ["default"] = new OpenApiResponse { Description = "Any other answer, a time-out or a connection error: retried on the schedule, re-signed." },
        },
    };

    private static OpenApiParameter Header(string name, string description, JsonSchemaType type) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = type },
    };
}
