using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// What <c>POST /v1/watches</c> reads and writes outside its bodies (SPEC §2): the handler reads the
/// <c>Idempotency-Key</c> header itself, so the document learns of it, and of the answer's headers, here.
/// </summary>
internal static class CreateWatchOpenApi
{
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyClaim.HeaderName,
            In = ParameterLocation.Header,
            Description = "Scoped to the client, kept 24 h: a repeat with the same body gets the original answer (Idempotent-Replayed: true); the same key with another body is 422.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyClaim.MaxKeyLength },
        });
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status is "200" or "201" && response is OpenApiResponse answer)
            {
                answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                answer.Headers["Idempotent-Replayed"] = new OpenApiHeader { Description = "\"true\" when this is the stored answer to an earlier request with the same Idempotency-Key.", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] } };
                if (status == "201")
                {
                    answer.Headers["Location"] = new OpenApiHeader { Description = "/v1/watches/{id} of the new watch.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                }
            }
        }

        return Task.CompletedTask;
    }
}
