using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Watches;

internal static class WatchQueries
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    public static async Task<Results<Ok<WatchResponse>, ProblemHttpResult>> GetAsync(
        string id, HttpContext context, ClientRegistry clients, BridgeDbContext db, CancellationToken cancellationToken)
    {
        var client = context.CurrentClient(clients);
        var found = await WithNextPoll(db, db.Watches.Where(w => w.Id == id && w.ClientName == client.Name)).SingleOrDefaultAsync(cancellationToken);
        return found is null ? Problems.NotFound("watch") : TypedResults.Ok(WatchResponse.From(found.Watch, found.NextPollAt));
    }

    public static async Task<Results<Ok<WatchList>, ValidationProblem>> ListAsync(
        HttpContext context, ClientRegistry clients, BridgeDbContext db, CancellationToken cancellationToken,
        [AllowedValuesFrom(typeof(WatchStatus))] string? status = null, string? video_id = null, [Range(1, MaxLimit)] string? limit = null, string? after = null)
    {
        var client = context.CurrentClient(clients);
        // PostgreSQL text cannot hold NUL: compared with a column it is an error (a 500), not a miss.
        if (video_id?.Contains('\0', StringComparison.Ordinal) == true)
        {
            return Problems.Invalid("video_id", "Must not contain NUL.");
        }

        if (after?.Contains('\0', StringComparison.Ordinal) == true)
        {
            return Problems.Invalid("after", "No watch with this id.");
        }

        var watches = db.Watches.Where(w => w.ClientName == client.Name);
        if (status is not null)
        {
            if (!WatchStatus.All.Contains(status))
            {
                return Problems.Invalid("status", $"Must be one of: {string.Join(", ", WatchStatus.All)}.");
            }

            watches = watches.Where(w => w.Status == status);
        }

        if (video_id is not null)
        {
            watches = watches.Where(w => w.VideoId == video_id);
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out take) || take is < 1 or > MaxLimit))
        {
            return Problems.Invalid("limit", $"Must be an integer from 1 to {MaxLimit}.");
        }

        if (after is not null)
        {
            var cursor = await db.Watches.Where(w => w.Id == after && w.ClientName == client.Name)
                .Select(w => new { w.CreatedAt, w.Id }).SingleOrDefaultAsync(cancellationToken);
            if (cursor is null)
            {
                return Problems.Invalid("after", "No watch with this id.");
            }

            // A row comparison is an index condition: the page starts at the cursor instead of filtering every newer row.
            watches = watches.Where(w => EF.Functions.LessThan(ValueTuple.Create(w.CreatedAt, w.Id), ValueTuple.Create(cursor.CreatedAt, cursor.Id)));
        }

        var page = await WithNextPoll(db, watches.OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id).Take(take + 1))
            .ToListAsync(cancellationToken);
        var data = page.Take(take).Select(f => WatchResponse.From(f.Watch, f.NextPollAt)).ToList();
        return TypedResults.Ok(new WatchList("list", data, page.Count > take, data.FirstOrDefault()?.Id, data.LastOrDefault()?.Id));
    }

    private static IQueryable<WatchWithNextPoll> WithNextPoll(BridgeDbContext db, IQueryable<Watch> watches) =>
        watches.Select(w => new WatchWithNextPoll(
            w,
            db.VideoPolls.Where(p => p.PoeKeyId == w.PoeKeyId && p.VideoId == w.VideoId).Select(p => (DateTimeOffset?)p.NextPollAt).FirstOrDefault()));

    private sealed record WatchWithNextPoll(Watch Watch, DateTimeOffset? NextPollAt);
}
