using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// Poe's error object (<c>{"message","type","code"}</c>), which a gateway problem relays verbatim as a
/// <see cref="JsonElement"/>, the only place the API writes one. Described as an object (open: no <c>additionalProperties</c> limit), so a nullable error is a
/// <c>oneOf</c> whose branches cannot both match <c>null</c>, and named for what it is rather than for the C# type.
/// </summary>
internal static class PoeErrorSchema
{
    public const string ReferenceId = "PoeError";

    public static string? ReferenceIdOf(JsonTypeInfo type) =>
        IsPoeError(type.Type) ? ReferenceId : OpenApiOptions.CreateDefaultSchemaReferenceId(type);

    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (!IsPoeError(context.JsonTypeInfo.Type))
        {
            return Task.CompletedTask;
        }

        schema.Type = JsonSchemaType.Object;
        schema.Description = "Poe's error object, exactly as Poe sent it.";
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        };
        return Task.CompletedTask;
    }

    private static bool IsPoeError(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(JsonElement);
}
