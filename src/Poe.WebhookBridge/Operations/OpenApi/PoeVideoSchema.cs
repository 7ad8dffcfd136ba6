using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// Poe's video object (SPEC, top): open, because the bridge relays it verbatim and Poe may add fields; the known ones
/// typed. Only <c>id</c> and <c>object</c> are always there (a <c>watch.failed</c> without a poll carries just those).
/// </summary>
internal static class PoeVideoSchema
{
    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(PoeVideoObject))
        {
            return Task.CompletedTask;
        }

        schema.Type = JsonSchemaType.Object;
        schema.Description = "The video object as Poe returned it, verbatim: fields Poe adds later are kept.";
        schema.AdditionalProperties = new OpenApiSchema();
        schema.Required = new HashSet<string> { "id", "object" };
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = Typed(JsonSchemaType.String, "The Poe video id."),
            ["object"] = Typed(JsonSchemaType.String, "Always \"video\".", "video"),
            ["status"] = Typed(JsonSchemaType.String, "Where the generation is.", VideoSnapshot.KnownStatuses),
            ["progress"] = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Maximum = "100", Description = "Percent done, as Poe reports it." },
            ["created_at"] = UnixSeconds(JsonSchemaType.Integer, "Unix seconds."),
            ["completed_at"] = UnixSeconds(JsonSchemaType.Integer | JsonSchemaType.Null, "Unix seconds; null until the video ends."),
            ["expires_at"] = UnixSeconds(JsonSchemaType.Integer | JsonSchemaType.Null, "Unix seconds after which the assets are gone."),
            ["model"] = Typed(JsonSchemaType.String, "The Poe bot that makes the video, e.g. Sora-2."),
            // OpenAI-compatible video objects give the length as a string ("8"); requests to create one give an integer.
            ["seconds"] = Typed(JsonSchemaType.Integer | JsonSchemaType.String, "The clip length in seconds, as Poe gives it."),
            ["size"] = Typed(JsonSchemaType.String, "WIDTHxHEIGHT, e.g. 1280x720."),
            ["remixed_from_video_id"] = Typed(JsonSchemaType.String | JsonSchemaType.Null, "The source video of a remix."),
            ["error"] = Open(JsonSchemaType.Object | JsonSchemaType.Null, "Set when the video failed, as Poe gave it.", "code", "message"),
            ["usage"] = Open(JsonSchemaType.Object | JsonSchemaType.Null, "Set when the video completed, as Poe gave it."),
        };
        return Task.CompletedTask;
    }

    private static OpenApiSchema Typed(JsonSchemaType type, string description, params IEnumerable<string> values) => new()
    {
        Type = type,
        Description = description,
        Enum = values.Any() ? [.. values.Select(v => (JsonNode)JsonValue.Create(v))] : null,
    };

    private static OpenApiSchema UnixSeconds(JsonSchemaType type, string description) => new() { Type = type, Format = "int64", Description = description };

    private static OpenApiSchema Open(JsonSchemaType type, string description, params IEnumerable<string> stringFields) => new()
    {
        Type = type,
        Description = description,
        AdditionalProperties = new OpenApiSchema(),
        Properties = stringFields.ToDictionary(f => f, IOpenApiSchema (_) => new OpenApiSchema { Type = JsonSchemaType.String }),
    };
}
