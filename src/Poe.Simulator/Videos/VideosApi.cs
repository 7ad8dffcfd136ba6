using Microsoft.AspNetCore.Http.HttpResults;
using Poe.Simulator.Auth;

namespace Poe.Simulator.Videos;

/// <summary>Poe's video endpoints (poll, create, remix, extend, content), plus force endpoints that only the simulator has.</summary>
public static class VideosApi
{
    public static IEndpointRouteBuilder MapVideos(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/videos").WithTags("Videos");
        group.MapGet("/{id}", (string id, HttpContext context, VideoPoll poll) => poll.HandleAsync(id, context));
        group.MapGet("/{id}/content", (string id, string? variant, HttpContext context, VideoContent content) => content.Handle(id, variant, context));
        group.MapPost("/", (CreateVideoRequest? request, HttpContext context, VideoCreation creation) => creation.CreateVideo(request, context));
        group.MapPost("/{id}/remix", (string id, RemixVideoRequest? request, HttpContext context, VideoCreation creation) => creation.RemixVideo(id, request, context));
        group.MapPost("/extensions", (ExtendVideoRequest? request, HttpContext context, VideoCreation creation) => creation.ExtendVideo(request, context));

        var control = group.MapGroup("").AddEndpointFilter<RequireApiKeyFilter>();
        control.MapPost("/{id}/complete", (string id, VideoStore store, TimeProvider time) => Force(id, VideoOutcome.Completed, store, time));
        control.MapPost("/{id}/fail", (string id, VideoStore store, TimeProvider time) => Force(id, VideoOutcome.Failed, store, time));
        return app;
    }

    private static IResult Force(string id, VideoOutcome outcome, VideoStore store, TimeProvider time)
    {
        if (store.Find(id) is not { } video)
            return PoeErrors.NotFound(id);
        var now = time.GetUtcNow();
        video.Force(outcome, now);
        return Json(VideoObject.From(video, video.StateAt(now)));
    }

    private static JsonHttpResult<VideoObject> Json(VideoObject video) =>
        TypedResults.Json(video, contentType: "application/json");
}
