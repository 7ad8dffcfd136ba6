using Microsoft.AspNetCore.Http.HttpResults;
using Poe.Simulator.Auth;

namespace Poe.Simulator.Videos;

/// <summary>Poe's video endpoint, plus create and force endpoints that only the simulator has.</summary>
public static class VideosApi
{
    public static IEndpointRouteBuilder MapVideos(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/videos").WithTags("Videos");
        group.MapGet("/{id}", (string id, HttpContext context, VideoPoll poll) => poll.HandleAsync(id, context));

        var control = group.MapGroup("").AddEndpointFilter<RequireApiKeyFilter>();
        control.MapPost("/", Create);
        control.MapPost("/{id}/complete", (string id, VideoStore store, TimeProvider time) => Force(id, VideoOutcome.Completed, store, time));
        control.MapPost("/{id}/fail", (string id, VideoStore store, TimeProvider time) => Force(id, VideoOutcome.Failed, store, time));
        return app;
    }

    private static IResult Create(CreateVideoRequest? request, VideoStore store, TimeProvider time)
    {
        request ??= new CreateVideoRequest(null, null, null, null, null, null);
        if (!request.TryToSpec(out var spec, out var error))
            return PoeErrors.BadRequest(error, "invalid_simulation");
        var video = store.Create(spec);
        return Json(VideoObject.From(video, video.StateAt(time.GetUtcNow())));
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
