using Poe.Simulator.Requests;

namespace Poe.Simulator.Videos;

/// <summary><c>GET /v1/videos/{id}/content?variant=</c> as Poe answers it: a completed video's file, 404 before completion.</summary>
internal sealed class VideoContent(PoeGate gate, VideoStore videos, RequestLog log, TimeProvider time)
{
    public const string Operation = "content";

    public IResult Handle(string id, string? variant, HttpContext context)
    {
        var admission = gate.Admit(context);
        var (status, result) = admission.Refusal ?? Answer(id, variant);
        log.Record(admission.KeyId, id, status, Operation);
        return result;
    }

    private (int Status, IResult Result) Answer(string id, string? variant)
    {
        if (VideoAssets.For(variant) is not { } asset)
            return (StatusCodes.Status400BadRequest, PoeErrors.BadRequest($"Unknown variant '{variant}'. Use thumbnail or spritesheet, or none for the video.", "invalid_variant"));

        // Polling an unknown id may create it (AutoCreateUnknownVideos); downloading one that was never polled may too.
        if (videos.FindForPoll(id) is not { } video || video.StateAt(time.GetUtcNow()).Status != VideoState.Completed)
            return (StatusCodes.Status404NotFound, PoeErrors.NotFound(id));

        return (StatusCodes.Status200OK, TypedResults.Bytes(asset.Bytes, asset.ContentType));
    }
}
