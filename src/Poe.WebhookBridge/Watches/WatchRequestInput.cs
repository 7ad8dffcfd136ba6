using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Poe.WebhookBridge.Infrastructure.Problems;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// What every endpoint that registers a watch checks before its own rules, with the same answers: a JSON content type
/// (415), the size limit (413), the <c>Idempotency-Key</c> syntax (400), well-formed JSON (400) and valid text (400),
/// then the callback URL's address (400).
/// </summary>
internal static class WatchRequestInput
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    /// <returns>The body, the key it came with (null without one) and the parsed body (the caller disposes it); or the problem to answer.</returns>
    public static async Task<(WatchRequestBody? Input, ProblemHttpResult? Refused, ValidationProblem? Invalid)> ReadAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType(), null);
        }

        var body = await RequestBody.ReadLimitedAsync(request, cancellationToken);
        if (body is null)
        {
            return (null, Problems.TooLarge(RequestBody.MaxBytes), null);
        }

        string? key = null;
        if (request.Headers.TryGetValue(IdempotencyClaim.HeaderName, out var keyHeader))
        {
            key = keyHeader.ToString();
            if (keyHeader.Count != 1 || !IdempotencyClaim.IsValidKey(key))
            {
                return (null, null, Problems.Invalid(IdempotencyClaim.HeaderName, $"Must be 1-{IdempotencyClaim.MaxKeyLength} printable ASCII characters."));
            }
        }

        var (document, malformed) = Parse(body);
        return document is null ? (null, malformed, null) : (new WatchRequestBody(body, key, document), null, null);
    }

    private static (JsonDocument? Document, ProblemHttpResult? Problem) Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException ex)
        {
            return (null, Problems.MalformedJson($"The body is not valid JSON: {ex.Message}"));
        }

        if (!JsonText.IsValidUnicode(document.RootElement))
        {
            document.Dispose();
            return (null, Problems.MalformedJson("The body is not valid JSON: a string is not valid UTF-8 or UTF-16 text."));
        }

        return (document, null);
    }

    /// <summary>Adds the callback URL's refusal to <paramref name="errors"/>, when it is a string not already refused.</summary>
    public static async Task CheckCallbackAsync(this CallbackUrlValidator validator, JsonElement root, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (CreateWatchRequestReader.CallbackUrlOf(root) is { } callbackUrl && !errors.ContainsKey("callback_url")
            && await validator.ValidateAsync(callbackUrl, cancellationToken) is { } callbackError)
        {
            errors["callback_url"] = [callbackError];
        }
    }
}
