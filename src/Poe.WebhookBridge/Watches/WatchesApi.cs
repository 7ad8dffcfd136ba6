using Microsoft.AspNetCore.Http.HttpResults;
using Poe.WebhookBridge.Clients;

namespace Poe.WebhookBridge.Watches;

public static class WatchesApi
{
    public static string LocationOf(string watchId) => $"/v1/watches/{watchId}";

    public static IEndpointRouteBuilder MapWatches(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/watches")
            .WithTags("Watches")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapPost("/", CreateWatchEndpoint.HandleAsync)
            .WithName("CreateWatch")
            .WithSummary("Register a watch: the bridge polls the video and POSTs a signed webhook when it ends.")
            .Accepts<CreateWatchRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer(CreateWatchOpenApi.DescribeAsync);
        group.MapGet("/{id}", WatchQueries.GetAsync).WithName("GetWatch").WithSummary("Get a watch.");
        group.MapGet("/", WatchQueries.ListAsync).WithName("ListWatches").WithSummary("List watches, newest first.");
        group.MapDelete("/{id}", CancelWatchEndpoint.HandleAsync).WithName("CancelWatch").WithSummary("Cancel a watch: no further polls or webhooks.");
        return app;
    }

    internal static Client CurrentClient(this HttpContext context, ClientRegistry clients) =>
        clients.FindByName(context.User.Identity?.Name ?? string.Empty)
        ?? throw new InvalidOperationException("An authenticated request without a known client.");
}
