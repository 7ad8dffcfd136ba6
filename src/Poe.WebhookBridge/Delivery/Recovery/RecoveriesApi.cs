using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery.Recovery;

public static class RecoveriesApi
{
    public static string LocationOf(string recoveryId) => $"/v1/recoveries/{recoveryId}";

    public static IEndpointRouteBuilder MapRecoveries(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/events/recover", RecoverAsync)
            .WithTags("Events")
            .WithName("RecoverEvents")
            .WithSummary("Deliver again, as a background job, every dead event of the client created in a time range.")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .Accepts<RecoverRequest>("application/json")
            .Produces<RecoveryResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        app.MapGet("/v1/recoveries/{id}", GetAsync)
            .WithTags("Events")
            .WithName("GetRecovery")
            .WithSummary("A recovery's progress and end state.")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .Produces<RecoveryResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Results<Accepted<RecoveryResponse>, ValidationProblem, ProblemHttpResult>> RecoverAsync(
        HttpContext context, ClientRegistry clients, BridgeDbContext db, RecoverySql recoveries, IBackgroundJobClient jobs, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        var (request, invalid, problem) = await RecoverBody.ReadAsync(context.Request, cancellationToken);
        if (request is null)
        {
            return invalid is not null ? invalid : problem!;
        }

        string? endpointUrl = null;
        if (request.Endpoint is { } endpointId)
        {
            endpointUrl = await db.Endpoints.Where(e => e.Id == endpointId && e.ClientName == client.Name).Select(e => e.Url).SingleOrDefaultAsync(cancellationToken);
            if (endpointUrl is null)
            {
                return Problems.NotFound("endpoint");
            }
        }

        var recovery = new Recovery
        {
            Id = Ids.NewRecoveryId(),
            ClientName = client.Name,
            Since = DateTimeOffset.FromUnixTimeSeconds(request.Since),
            Until = request.Until is { } until ? DateTimeOffset.FromUnixTimeSeconds(until) : null,
            EndpointId = request.Endpoint,
            EndpointUrl = endpointUrl,
            CreatedAt = time.GetUtcNow(),
        };
        await recoveries.CreateAsync(recovery, cancellationToken);
        RecoveryJob.Enqueue(jobs, recovery.Id);
        var stored = await db.Recoveries.SingleAsync(r => r.Id == recovery.Id, cancellationToken);
        return TypedResults.Accepted(LocationOf(recovery.Id), RecoveryResponse.From(stored) with { Status = RecoveryStatus.Running });
    }

    internal static async Task<Results<Ok<RecoveryResponse>, ProblemHttpResult>> GetAsync(
        string id, HttpContext context, ClientRegistry clients, BridgeDbContext db, CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        // PostgreSQL text cannot hold NUL: such an id is no recovery's, not an error.
        var recovery = id.Contains('\0', StringComparison.Ordinal)
            ? null
            : await db.Recoveries.SingleOrDefaultAsync(r => r.Id == id && r.ClientName == client.Name, cancellationToken);
        return recovery is null ? Problems.NotFound("recovery") : TypedResults.Ok(RecoveryResponse.From(recovery));
    }
}
