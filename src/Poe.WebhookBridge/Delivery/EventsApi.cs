using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/watches/{id}/events", ListAsync)
            .WithTags("Events")
            .WithName("ListWatchEvents")
            .WithSummary("The webhook events of a watch, each with its delivery attempts.")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapPost("/v1/events/{id}/redeliver", RedeliverAsync)
            .WithTags("Events")
            .WithName("RedeliverEvent")
            .WithSummary("Make a new delivery attempt at once, whatever the event's state.")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    internal static async Task<Results<Ok<EventList>, ProblemHttpResult>> ListAsync(
        string id, HttpContext context, ClientRegistry clients, BridgeDbContext db, CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        if (!await db.Watches.AnyAsync(w => w.Id == id && w.ClientName == client.Name, cancellationToken))
        {
            return Problems.NotFound("watch");
        }

        var events = await OfWatch(db, id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new EventList("list", [.. events.Select(EventResponse.From)], HasMore: false));
    }

    /// <summary>A watch's events with their attempts, on ix_webhook_events_watch_id_created_at and ix_delivery_attempts_event_id_at.</summary>
    internal static IQueryable<WebhookEvent> OfWatch(BridgeDbContext db, string watchId) =>
        db.WebhookEvents.Include(e => e.Attempts).Where(e => e.WatchId == watchId).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id);

    internal static async Task<Results<Accepted<EventResponse>, ProblemHttpResult>> RedeliverAsync(
        string id, HttpContext context, ClientRegistry clients, BridgeDbContext db, NpgsqlDataSource dataSource, TimeProvider time, DeliveryDispatcher dispatcher,
        CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        if (!await WebhookEvents.RedeliverAsync(dataSource, id, client.Name, time.GetUtcNow(), cancellationToken))
        {
            return Problems.NotFound("event");
        }

        dispatcher.Wake();
        var webhookEvent = await db.WebhookEvents.Include(e => e.Attempts).SingleAsync(e => e.Id == id, cancellationToken);
        return TypedResults.Accepted((string?)null, EventResponse.From(webhookEvent));
    }
}
