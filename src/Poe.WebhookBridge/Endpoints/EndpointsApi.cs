using Microsoft.AspNetCore.Http.HttpResults;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Endpoints;

public static class EndpointsApi
{
    public static IEndpointRouteBuilder MapEndpointHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/endpoints")
            .WithTags("Endpoints")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/", ListAsync).WithName("ListEndpoints").WithSummary("The client's callback origins, with their delivery health.")
            .Produces<EndpointList>(StatusCodes.Status200OK);
        group.MapGet("/{id}", GetAsync).WithName("GetEndpoint").WithSummary("One endpoint, with its delivery health.")
            .Produces<EndpointResponse>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/enable", EnableEndpoint.HandleAsync).WithName("EnableEndpoint")
            .WithSummary("Resume delivery to a disabled endpoint: its held events go out at once, paced by the per-host cap.")
            .Produces<EndpointResponse>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<EndpointList>> ListAsync(HttpContext context, ClientRegistry clients, EndpointQueries queries, CancellationToken cancellationToken)
    {
        var endpoints = await queries.ListAsync(context.CurrentClient(clients).Name, cancellationToken);
        return TypedResults.Ok(new EndpointList("list", endpoints, HasMore: false));
    }

    internal static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> GetAsync(
        string id, HttpContext context, ClientRegistry clients, EndpointQueries queries, CancellationToken cancellationToken) =>
        await queries.FindAsync(context.CurrentClient(clients).Name, id, cancellationToken) is { } endpoint
            ? TypedResults.Ok(endpoint)
            : Problems.NotFound("endpoint");
}
