using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Watches;

public sealed class NaturalDedupeTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task Registering_an_identical_active_watch_returns_the_existing_one()
    {
        var id = await Shop.CreateWatchAsync("video_dup");

        using var again = await Shop.RegisterAsync("video_dup");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.ReadJsonAsync()).GetProperty("id").GetString());
        Assert.Equal(1, await Database.QueryAsync(db => db.Watches.CountAsync()));
    }

    [Fact]
    public async Task Registering_an_identical_active_watch_leaves_its_video_poll_as_it_is_while_another_watch_pulls_it_forward()
    {
        // Written directly and due in an hour, so the background poller leaves them alone.
        var poeKeyId = Bridge.Services.GetRequiredService<ClientRegistry>().FindByName("shop")!.PoeKeyId;
        var now = DateTimeOffset.UtcNow;
        var due = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()).AddHours(1);
        await Database.QueryAsync(db =>
        {
            db.Watches.Add(new Watch
            {
                Id = "watch_existing", ClientName = "shop", VideoId = "video_dup", CallbackUrl = "https://app.example/hooks/poe", PoeKeyId = poeKeyId,
                Events = [.. WatchEventTypes.Default], Metadata = [], CreatedAt = now,
            });
            db.VideoPolls.Add(new VideoPoll { PoeKeyId = poeKeyId, VideoId = "video_dup", NextPollAt = due, LastPolledAt = now, CreatedAt = now });
            return db.SaveChangesAsync();
        });

        using var identical = await Shop.RegisterAsync("video_dup");
        var unchanged = await Database.QueryAsync(db => db.VideoPolls.Select(p => p.NextPollAt).SingleAsync());
        using var another = await Shop.RegisterAsync("video_dup", "https://app.example/other");

        Assert.Equal(HttpStatusCode.OK, identical.StatusCode);
        var existing = await identical.ReadJsonAsync();
        Assert.Equal("watch_existing", existing.GetProperty("id").GetString());
        Assert.Equal(due.ToUnixTimeSeconds(), existing.GetProperty("next_poll_at").GetInt64());
        Assert.Equal(due, unchanged);
        Assert.Equal(HttpStatusCode.Created, another.StatusCode);
        Assert.InRange((await another.ReadJsonAsync()).GetProperty("next_poll_at").GetInt64(), now.ToUnixTimeSeconds(), now.ToUnixTimeSeconds() + 3);
    }

    [Fact]
    public async Task A_different_callback_or_client_makes_a_second_watch_of_the_same_video()
    {
        var first = await Shop.CreateWatchAsync("video_dup", "https://app.example/a");

        var otherCallback = await Shop.CreateWatchAsync("video_dup", "https://app.example/b");
        var otherClient = await Studio.CreateWatchAsync("video_dup", "https://app.example/a");

        Assert.Equal(3, new[] { first, otherCallback, otherClient }.Distinct().Count());
    }

    [Fact]
    public async Task After_cancelling_a_watch_an_identical_registration_creates_a_new_one()
    {
        var cancelled = await Shop.CreateWatchAsync("video_again");
        (await Shop.DeleteAsync(new Uri($"/v1/watches/{cancelled}", UriKind.Relative))).Dispose();

        using var again = await Shop.RegisterAsync("video_again");

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.NotEqual(cancelled, (await again.ReadJsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_registration_that_collides_with_an_identical_watch_of_another_connection_fails_none_of_the_registrations_written_beside_it()
    {
        // Registrations are written in batches, one transaction each (WatchInserts): one row's unique violation aborts
        // its batch, and the other rows must still be created.
        var dataSource = Bridge.Services.GetRequiredService<NpgsqlDataSource>();
        var poeKeyId = Bridge.Services.GetRequiredService<ClientRegistry>().FindByName("shop")!.PoeKeyId;
        var now = DateTimeOffset.UtcNow;
        await using var rivalConnection = await dataSource.OpenConnectionAsync();
        await using var rivalTransaction = await rivalConnection.BeginTransactionAsync();
        var rival = new Watch
        {
            Id = "watch_rival", ClientName = "shop", VideoId = "video_contested", CallbackUrl = "https://app.example/hooks/poe", PoeKeyId = poeKeyId,
            Events = [.. WatchEventTypes.Default], Metadata = [], CreatedAt = now,
        };
        Assert.NotNull(await WatchRows.TryInsertAsync(rivalConnection, rivalTransaction, rival, now.AddHours(1), TimeSpan.FromSeconds(5), CancellationToken.None));

        var contested = Shop.RegisterAsync("video_contested");
        var bystanders = Enumerable.Range(0, 30).Select(i => Shop.RegisterAsync($"video_bystander_{i}")).ToArray();
        await Eventually.TrueAsync(
            async () =>
            {
                await using var waiting = dataSource.CreateCommand("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                    """);
                return (long)(await waiting.ExecuteScalarAsync())! > 0;
            },
            TimeSpan.FromSeconds(10), "the contested registration waiting for the rival's transaction");
        await rivalTransaction.CommitAsync();

        using var contestedResponse = await contested;
        Assert.Equal(HttpStatusCode.OK, contestedResponse.StatusCode);
        Assert.Equal("watch_rival", (await contestedResponse.ReadJsonAsync()).GetProperty("id").GetString());
        foreach (var bystander in bystanders)
        {
            using var response = await bystander;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(31, await Database.QueryAsync(db => db.Watches.CountAsync(w => w.Status == "active")));
    }

    [Fact]
    public async Task Twenty_concurrent_identical_registrations_leave_one_active_watch()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Shop.RegisterAsync("video_stampede")));

        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync()).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.StatusCode}"));
        Assert.Equal(1, await Database.QueryAsync(db => db.Watches.CountAsync(w => w.Status == "active")));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
