using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary>The body rules of every <c>/v1</c> POST (415, 413, malformed JSON, text that is not Unicode), then the field rules.</summary>
internal static class RecoverBody
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static async Task<(RecoverRequest? Request, ValidationProblem? Invalid, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, null, Problems.UnsupportedMediaType());
        }

        if (await RequestBody.ReadLimitedAsync(request, cancellationToken) is not { } body)
        {
            return (null, null, Problems.TooLarge(RequestBody.MaxBytes));
        }

        try
        {
            using var document = JsonDocument.Parse(body, ParseOptions);
            if (!JsonText.IsValidUnicode(document.RootElement))
            {
                return (null, null, Problems.MalformedJson("The body is not valid JSON: a string is not valid UTF-8 or UTF-16 text."));
            }

            var (recover, errors) = RecoverRequestReader.Read(document.RootElement);
            return recover is null ? (null, Problems.Invalid(errors), null) : (recover, null, null);
        }
        catch (JsonException ex)
        {
            return (null, null, Problems.MalformedJson($"The body is not valid JSON: {ex.Message}"));
        }
    }
}
