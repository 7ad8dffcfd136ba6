using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery.TestEvents;

/// <summary>
/// <c>POST /v1/watches/{id}/test</c>: a <c>watch.test</c> event stored and delivered like any other (signed, retried,
/// listed with its attempts), so a consumer can check its endpoint and its signature code before a real event comes.
/// </summary>
public static class TestEventsApi
{
    public static IEndpointRouteBuilder MapTestEvents(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/watches/{id}/test", SendAsync)
            .WithTags("Watches")
            .WithName("SendTestEvent")
            .WithSummary("Send a signed watch.test event to the watch's callback, active or ended.")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .Produces<TestEventResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Results<Accepted<TestEventResponse>, ProblemHttpResult>> SendAsync(
        string id, HttpContext context, ClientRegistry clients, BridgeDbContext db, NpgsqlDataSource dataSource, DeliveryDispatcher dispatcher, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        // PostgreSQL text cannot hold NUL: such an id is no watch's, not an error.
        var watch = id.Contains('\0', StringComparison.Ordinal)
            ? null
            : (await WatchQueries.FindAsync(db, id, client.Name, cancellationToken))?.CaughtUp;
        if (watch is null)
        {
            return Problems.NotFound("watch");
        }

        // data is the watch's last video object, or {"id","object"} before the first poll, as for watch.failed.
        var webhook = WebhookEvents.Create(watch, WatchEventTypes.WatchTest, time.GetUtcNow(), watch.Video);
        await WebhookEvents.InsertAsync(dataSource, webhook, cancellationToken);
        dispatcher.Wake();
        return TypedResults.Accepted((string?)null, new TestEventResponse(webhook.Id));
    }
}
