using Microsoft.AspNetCore.Http.HttpResults;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;

namespace Poe.WebhookBridge.Watches;

internal static class CreateWatchEndpoint
{
    public static async Task<Results<Created<WatchResponse>, Ok<WatchResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> HandleAsync(
        HttpContext context,
        ClientRegistry clients,
        WatchRegistrar registrar,
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
            var document = input.Document;
            IdempotencyClaim? idempotency = null;
            if (input.Key is not null)
            {
                idempotency = IdempotencyClaim.For(input.Key, input.Body);
                if (await ReplayAsync(context, client, idempotency, time, cancellationToken) is { } replay)
                {
                    return replay;
                }
            }

            var (request, errors) = CreateWatchRequestReader.Read(document.RootElement);
            await callbackValidator.CheckCallbackAsync(document.RootElement, errors, cancellationToken);
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
