using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Problems;
using CreateWatchResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Created<Poe.WebhookBridge.Watches.WatchResponse>,
    Microsoft.AspNetCore.Http.HttpResults.Ok<Poe.WebhookBridge.Watches.WatchResponse>,
    Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// <c>POST /v1/watches</c>: read the body, answer a replayed Idempotency-Key from its record, validate, register, answer.
/// </summary>
internal static class CreateWatchEndpoint
{
    public static async Task<CreateWatchResult> HandleAsync(
        HttpContext context,
        ClientRegistry clients,
        WatchRegistrar registrar,
        IdempotencyStore idempotencyStore,
        CallbackUrlValidator callbackValidator,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        var (input, refused, invalid) = await WatchRequestInput.ReadAsync(context.Request, cancellationToken);
        if (input is null)
        {
            return refused is null ? invalid! : refused;
        }

        using (input)
        {
            var idempotency = input.Key is null ? null : IdempotencyClaim.For(input.Key, input.Body);
            if (idempotency is not null && await ReplayAsync(context, client, idempotencyStore, idempotency, time, cancellationToken) is { } replay)
            {
                return replay;
            }

            var (request, problem) = await ValidateAsync(input.Document.RootElement, callbackValidator, cancellationToken);
            return request is null
                ? problem!
                : await RegisterAsync(context, client, registrar, idempotencyStore, request, idempotency, time, cancellationToken);
        }
    }

    /// <summary>Every field's rules, then the callback's address: all errors are reported together.</summary>
    private static async Task<(CreateWatchRequest? Request, ValidationProblem? Problem)> ValidateAsync(
        JsonElement body, CallbackUrlValidator callbackValidator, CancellationToken cancellationToken)
    {
        var (request, errors) = CreateWatchRequestReader.Read(body);
        await callbackValidator.CheckCallbackAsync(body, errors, cancellationToken);
        return request is null || errors.Count > 0 ? (null, Problems.Invalid(errors)) : (request, null);
    }

    /// <summary>201 for a new watch, 200 for the identical active one; a concurrent request with the same key that won answers as it did.</summary>
    private static async Task<CreateWatchResult> RegisterAsync(
        HttpContext context, Client client, WatchRegistrar registrar, IdempotencyStore store, CreateWatchRequest request, IdempotencyClaim? idempotency, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var result = await registrar.RegisterAsync(client, request, idempotency, cancellationToken);
        if (result.Watch is null)
        {
            return await ReplayAsync(context, client, store, idempotency!, time, cancellationToken)
                ?? throw new InvalidOperationException("An idempotency race left no stored answer.");
        }

        return result.Created
            ? TypedResults.Created(WatchesApi.LocationOf(result.Watch.Id), result.Watch)
            : TypedResults.Ok(result.Watch);
    }

    /// <summary>The stored answer to this key, or a 422 when the key came with another body; null when the key is new.</summary>
    private static async Task<CreateWatchResult?> ReplayAsync(
        HttpContext context, Client client, IdempotencyStore store, IdempotencyClaim idempotency, TimeProvider time, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(client.Name, idempotency.Key, time.GetUtcNow(), cancellationToken);
        if (record is null)
        {
            return null;
        }

        return record.RequestHash == idempotency.RequestHash ? Replay(context, record) : Problems.IdempotencyMismatch();
    }

    private static ContentHttpResult Replay(HttpContext context, IdempotencyRecord record)
    {
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.Location is not null)
        {
            context.Response.Headers.Location = record.Location;
        }

        return TypedResults.Text(record.ResponseBody, "application/json", statusCode: record.StatusCode);
    }
}
