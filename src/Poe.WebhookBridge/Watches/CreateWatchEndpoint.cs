using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;

namespace Poe.WebhookBridge.Watches;

internal static class CreateWatchEndpoint
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static async Task<Results<Created<WatchResponse>, Ok<WatchResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> HandleAsync(
        HttpContext context,
        ClientRegistry clients,
        WatchRegistrar registrar,
        CallbackUrlValidator callbackValidator,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        if (!context.Request.HasJsonContentType())
        {
            return Problems.UnsupportedMediaType();
        }

        var body = await RequestBody.ReadLimitedAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(RequestBody.MaxBytes);
        }

        IdempotencyClaim? idempotency = null;
        if (context.Request.Headers.TryGetValue(IdempotencyClaim.HeaderName, out var keyHeader))
        {
            var key = keyHeader.ToString();
            if (keyHeader.Count != 1 || !IdempotencyClaim.IsValidKey(key))
            {
                return Problems.Invalid(IdempotencyClaim.HeaderName, $"Must be 1-{IdempotencyClaim.MaxKeyLength} printable ASCII characters.");
            }

            idempotency = IdempotencyClaim.For(key, body);
            if (await ReplayAsync(context, client, idempotency, time, cancellationToken) is { } replay)
            {
                return replay;
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException ex)
        {
            return Problems.MalformedJson($"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (!JsonText.IsValidUnicode(document.RootElement))
            {
                return Problems.MalformedJson("The body is not valid JSON: a string is not valid UTF-8 or UTF-16 text.");
            }

            var (request, errors) = CreateWatchRequestReader.Read(document.RootElement);
            if (CreateWatchRequestReader.CallbackUrlOf(document.RootElement) is { } callbackUrl && !errors.ContainsKey("callback_url")
                && await callbackValidator.ValidateAsync(callbackUrl, cancellationToken) is { } callbackError)
            {
                errors["callback_url"] = [callbackError];
            }

            if (request is null || errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var result = await registrar.RegisterAsync(client, request, idempotency, cancellationToken);
            if (result.Watch is null)
            {
                return await ReplayAsync(context, client, idempotency!, time, cancellationToken)
                    ?? throw new InvalidOperationException("An idempotency race left no stored answer.");
            }

            return result.Created
                ? TypedResults.Created(WatchesApi.LocationOf(result.Watch.Id), result.Watch)
                : TypedResults.Ok(result.Watch);
        }
    }

    private static async Task<Results<Created<WatchResponse>, Ok<WatchResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>?> ReplayAsync(
        HttpContext context, Client client, IdempotencyClaim idempotency, TimeProvider time, CancellationToken cancellationToken)
    {
        // Resolved only here: most registrations carry no key, and a DbContext costs a registration more than its SQL.
        var db = context.RequestServices.GetRequiredService<BridgeDbContext>();
        var record = await db.FindAsync(client.Name, idempotency.Key, time.GetUtcNow(), cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (record.RequestHash != idempotency.RequestHash)
        {
            return Problems.IdempotencyMismatch();
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.Location is not null)
        {
            context.Response.Headers.Location = record.Location;
        }

        return TypedResults.Text(record.ResponseBody, "application/json", statusCode: record.StatusCode);
    }
}
