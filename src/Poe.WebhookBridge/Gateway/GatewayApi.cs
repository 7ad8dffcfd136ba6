using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Gateway;

/// <summary>The gateway's endpoints (SPEC §10): every status each can answer is declared, so the OpenAPI document tells the truth.</summary>
public static class GatewayApi
{
    private const string ProblemJson = "application/problem+json";

    private const string IdempotencyNote =
        " With an Idempotency-Key, Poe is asked at most once per key: a repeat gets the first answer (Idempotent-Replayed: true); " +
        "without one, every request makes a new video at Poe.";

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        var videos = app.MapGroup("/v1/videos")
            .WithTags("Videos")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        Creating(videos.MapPost("/", CreateVideoEndpoint.CreateAsync), "CreateVideo",
            "Create a Poe video and watch it: Poe's create body plus callback_url, events and metadata; 201 with the watch.");
        Creating(videos.MapPost("/{video_id}/remix", CreateVideoEndpoint.RemixAsync), "RemixVideo",
            "Remix a completed Sora video at Poe and watch the new one: {prompt} plus callback_url, events and metadata; 201 with the watch.");
        Creating(videos.MapPost("/extensions", CreateVideoEndpoint.ExtendAsync), "ExtendVideo",
            "Extend a completed Sora video at Poe (120 s in all) and watch the new one: {video:{id}, prompt, seconds} plus callback_url, events and metadata; 201 with the watch.");

        app.MapGroup("/v1/watches")
            .WithTags("Watches")
            .RequireAuthorization(ClientAuthentication.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .MapGet("/{id}/content", VideoContentEndpoint.HandleAsync)
            .WithName("GetWatchContent")
            .WithSummary("Download the watched video's file from Poe: variant absent (video/mp4), thumbnail (image/webp) or spritesheet (image/jpeg).")
            .WithDescription("Streamed from Poe as it arrives, for one of the key's rate slots. 409 until the watch is completed; 410 once the video's expires_at has passed.")
            .Produces<Stream>(StatusCodes.Status200OK, "video/mp4", "image/webp", "image/jpeg")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<GatewayProblem>(StatusCodes.Status409Conflict, ProblemJson)
            .Produces<GatewayProblem>(StatusCodes.Status410Gone, ProblemJson)
            .Produces<GatewayProblem>(StatusCodes.Status429TooManyRequests, ProblemJson)
            .Produces<GatewayProblem>(StatusCodes.Status502BadGateway, ProblemJson)
            .Produces<GatewayProblem>(StatusCodes.Status504GatewayTimeout, ProblemJson);
        return app;
    }

    private static void Creating(RouteHandlerBuilder endpoint, string name, string summary) => endpoint
        .WithName(name)
        .WithSummary(summary)
        .WithDescription("The watch fields are checked first, as POST /v1/watches checks them; Poe's own fields go to Poe unchanged." + IdempotencyNote)
        .Accepts<CreateVideoRequest>("application/json")
        .Produces<WatchResponse>(StatusCodes.Status201Created)
        .Produces<GatewayProblem>(StatusCodes.Status400BadRequest, ProblemJson)
        .Produces<GatewayProblem>(StatusCodes.Status402PaymentRequired, ProblemJson)
        .Produces<GatewayProblem>(StatusCodes.Status404NotFound, ProblemJson)
        .Produces<GatewayProblem>(StatusCodes.Status409Conflict, ProblemJson)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .Produces<GatewayProblem>(StatusCodes.Status422UnprocessableEntity, ProblemJson)
        .Produces<GatewayProblem>(StatusCodes.Status429TooManyRequests, ProblemJson)
        .Produces<GatewayProblem>(StatusCodes.Status502BadGateway, ProblemJson)
        .Produces<GatewayProblem>(StatusCodes.Status504GatewayTimeout, ProblemJson);
}
