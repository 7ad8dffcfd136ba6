using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>RFC 9457 answers as the document shows them: the problem schema and an example with the title the bridge sends.</summary>
internal static class ProblemResponses
{
    public const string MediaType = "application/problem+json";

    private static readonly Dictionary<int, string> Details = new()
    {
        [StatusCodes.Status400BadRequest] = "The body is not valid JSON, or a field is invalid (see errors).",
        [StatusCodes.Status401Unauthorized] = "Send a client API key as 'Authorization: Bearer <key>'.",
        [StatusCodes.Status404NotFound] = "No watch with this id.",
        [StatusCodes.Status503ServiceUnavailable] = "The database is unavailable; nothing was changed. Retry shortly.",
    };

    /// <summary>Declares <paramref name="status"/> unless the endpoint already does.</summary>
    public static void Declare(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [MediaType] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) } },
        };
    }

    public static JsonObject Example(int status)
    {
        var problem = new JsonObject
        {
            ["type"] = $"https://tools.ietf.org/html/rfc9110#section-15.{(status >= 500 ? 6 : 5)}.{(status % 100) + 1}",
            ["title"] = ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = Details.GetValueOrDefault(status, ReasonPhrases.GetReasonPhrase(status) + "."),
        };
        if (status == StatusCodes.Status400BadRequest)
        {
            problem["title"] = "Invalid request";
            problem["errors"] = new JsonObject { ["callback_url"] = new JsonArray("Must be an absolute https URL.") };
        }

        return problem;
    }
}
