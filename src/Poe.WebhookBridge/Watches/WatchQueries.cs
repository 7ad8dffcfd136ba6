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
        var found = await FindAsync(db, id, client.Name, cancellationToken);
        return found is null ? Problems.NotFound("watch") : TypedResults.Ok(found.Response());
    }

    /// <summary>A client's watch by id, with its video's poll target; null when there is none.</summary>
    internal static Task<WatchWithTarget?> FindAsync(BridgeDbContext db, string id, string clientName, CancellationToken cancellationToken) =>
        WithTarget(db, db.Watches.Where(w => w.Id == id && w.ClientName == clientName)).SingleOrDefaultAsync(cancellationToken);

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

        if (status is not null && !WatchStatus.All.Contains(status))
        {
            return Problems.Invalid("status", $"Must be one of: {string.Join(", ", WatchStatus.All)}.");
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out take) || take is < 1 or > MaxLimit))
        {
            return Problems.Invalid("limit", $"Must be an integer from 1 to {MaxLimit}.");
        }

        var page = await Page(db, client.Name, status, video_id, after, take + 1).ToListAsync(cancellationToken);
        // An unknown cursor yields no rows; only an empty page costs the look-up that tells it from the end of the list.
        if (after is not null && page.Count == 0 && !await db.Watches.AnyAsync(w => w.Id == after && w.ClientName == client.Name, cancellationToken))
        {
            return Problems.Invalid("after", "No watch with this id.");
        }

        var data = page.Take(take).Select(f => f.Response()).ToList();
        return TypedResults.Ok(new WatchList("list", data, page.Count > take, data.FirstOrDefault()?.Id, data.LastOrDefault()?.Id));
    }

    /// <summary>
    /// A client's watches newest first, after the watch <paramref name="after"/>: each filter has an index in this order,
    /// and the cursor is a row comparison that is an index condition, so a page costs O(limit) at any depth
    /// (docs/architecture.md, "Cost at scale"). The cursor's position is read by the page's own statement (two
    /// uncorrelated look-ups the plan runs once, before its index scan), so a page is one round trip; an unknown cursor
    /// compares with NULL and yields no rows.
    /// </summary>
    internal static IQueryable<WatchWithTarget> Page(
        BridgeDbContext db, string clientName, string? status, string? videoId, string? after, int take)
    {
        var watches = db.Watches.Where(w => w.ClientName == clientName);
        if (status is not null)
        {
            watches = watches.Where(w => w.Status == status);
        }

        if (videoId is not null)
        {
            watches = watches.Where(w => w.VideoId == videoId);
        }

        if (after is not null)
        {
            var cursor = db.Watches.Where(c => c.Id == after && c.ClientName == clientName);
            watches = watches.Where(w => EF.Functions.LessThan(
                ValueTuple.Create(w.CreatedAt, w.Id),
                ValueTuple.Create(cursor.Select(c => c.CreatedAt).First(), cursor.Select(c => c.Id).First())));
        }

        return WithTarget(db, watches.OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id).Take(take), newestFirst: true);
    }

    /// <summary>
    /// Each watch with its video's poll target, if it has one: when it is polled next, and what it counted. The join
    /// does not keep the order of <paramref name="watches"/>; <paramref name="newestFirst"/> orders the result again.
    /// </summary>
    private static IQueryable<WatchWithTarget> WithTarget(BridgeDbContext db, IQueryable<Watch> watches, bool newestFirst = false)
    {
        var joined =
            from w in watches
            join p in db.VideoPolls on new { w.PoeKeyId, w.VideoId } equals new { p.PoeKeyId, p.VideoId } into targets
            from p in targets.DefaultIfEmpty()
            join o in db.VideoObjects on new { w.PoeKeyId, w.VideoId } equals new { o.PoeKeyId, o.VideoId } into objects
            from o in objects.DefaultIfEmpty()
            select new { Watch = w, Target = p, Video = o == null ? null : o.Video };
        if (newestFirst)
        {
            joined = joined.OrderByDescending(j => j.Watch.CreatedAt).ThenByDescending(j => j.Watch.Id);
        }

        return joined.Select(j => new WatchWithTarget(
            j.Watch,
            j.Target == null ? null : j.Target.NextPollAt,
            j.Target == null ? null : new PollTally(j.Target.PollCount, j.Target.PollSentAt, j.Video)));
    }

    internal sealed record WatchWithTarget(Watch Watch, DateTimeOffset? NextPollAt, PollTally? Tally)
    {
        /// <summary>The watch as its client sees it: with the polls its target counted since its row was written.</summary>
        public Watch CaughtUp => Watch.CatchUp(Tally);

        public WatchResponse Response() => WatchResponse.From(CaughtUp, NextPollAt);
    }
}
