using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// Seeds a Poe key with free rate slots and its due videos, each watched once, straight into the tables: what a claim
/// reads, without registering through the API.
/// </summary>
internal static class DueVideos
{
    public static Task<int> SeedAsync(BridgeDatabase database, string poeKeyId, DateTimeOffset createdAt, IEnumerable<VideoPoll> polls) => database.QueryAsync(async db =>
    {
        db.PoeKeys.Add(new PoeKeyState { Id = poeKeyId, HoldUntil = DateTimeOffset.UnixEpoch, PacedUntil = DateTimeOffset.UnixEpoch });
        db.RateSlots.AddRange(Enumerable.Range(0, 100).Select(slot => new RateSlot { PoeKeyId = poeKeyId, Slot = slot, AvailableAt = DateTimeOffset.UnixEpoch }));
        foreach (var poll in polls)
        {
            db.VideoPolls.Add(poll);
            db.Watches.Add(new Watch
            {
                Id = $"watch_{poll.VideoId}",
                ClientName = "shop",
                VideoId = poll.VideoId,
                CallbackUrl = "https://app.example/hooks/poe",
                PoeKeyId = poeKeyId,
                Events = ["video.completed"],
                Metadata = [],
                Status = WatchStatus.Active,
                CreatedAt = createdAt,
            });
        }

        return await db.SaveChangesAsync();
    });
}
