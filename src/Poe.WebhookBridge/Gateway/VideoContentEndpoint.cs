using Poe.WebhookBridge.Budget;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Gateway;

/// <summary><c>GET /v1/watches/{id}/content?variant=</c>: the watch's video file from Poe, streamed through, for one rate slot.</summary>
internal static class VideoContentEndpoint
{
    public static readonly string[] Variants = ["thumbnail", "spritesheet"];

    public static async Task<Results<PoeContent, ContentHttpResult, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string id, HttpContext context, ClientRegistry clients, BridgeDbContext db, PoeBudget budget, PoeGatewayClient poe, PoeKeyRing keys,
        GatewayProblems problems, BridgeMetrics metrics, TimeProvider time, CancellationToken cancellationToken, string? variant = null)
    {
        var client = context.CurrentClient(clients);
        var watch = await db.Watches.Where(w => w.Id == id && w.ClientName == client.Name)
            .Select(w => new { w.VideoId, w.Status, w.Video, w.PoeKeyId }).SingleOrDefaultAsync(cancellationToken);
        if (watch is null)
        {
            return Problems.NotFound("watch");
        }

        if (variant is not null && !Variants.Contains(variant))
        {
            return Problems.Invalid("variant", $"Must be one of: {string.Join(", ", Variants)}; absent for the video itself.");
        }

        var now = time.GetUtcNow();
        GatewayOutcome? refusal = watch.Status != WatchStatus.Completed
            ? new(problems.Answer(409, "video_not_completed", "Video not completed", $"The watch is {watch.Status}: Poe has a file only once the video is completed."))
            : ExpiresAt(watch.Video) <= now
                ? new(problems.Answer(410, "video_expired", "Video expired", "Poe keeps a video's files until its expires_at, which has passed."))
                : await budget.TakeAsync(watch.PoeKeyId, cancellationToken) is { } wait
                    ? new(problems.Answer(429, "rate_budget_exhausted", "Poe budget spent", "The bridge's Poe key has no request left for now; retry after the Retry-After delay."),
                        RetryAfter: GatewayProblems.Seconds(wait))
                    : null;
        if (refusal is not null)
        {
            return CreateVideoEndpoint.Write(context, refusal);
        }

        var (response, failure) = keys.KeyFor(watch.PoeKeyId) is { } key
            ? await poe.OpenContentAsync(key, watch.VideoId, variant, cancellationToken)
            : (null, new PoeReply(PoeReplyKind.Answered, "no_key", 401));
        metrics.PoeRequest(response is null ? failure!.Code : "200", GatewayOperation.ContentName);
        if (response is null)
        {
            var (answer, retryAfter) = problems.FromPoe(failure!, "the download", creates: false);
            return CreateVideoEndpoint.Write(context, new GatewayOutcome(answer, RetryAfter: retryAfter));
        }

        return new PoeContent(response);
    }

    private static DateTimeOffset? ExpiresAt(string? video)
    {
        if (video is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(video);
        return document.RootElement.TryGetProperty("expires_at", out var expires) && expires.ValueKind == JsonValueKind.Number && expires.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }
}
