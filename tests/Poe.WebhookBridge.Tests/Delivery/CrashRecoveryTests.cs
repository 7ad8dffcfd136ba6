using System.Net.Http.Headers;
using Npgsql;
using Poe.Simulator;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Tests.Operations;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Delivery;

/// <summary>Must show: a bridge SIGKILLed right after 50 videos turned terminal, then restarted, still delivers all 50 webhooks.</summary>
[Collection(AloneCollectionDefinition.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Videos = 50;

    [Fact]
    public async Task A_bridge_killed_right_after_50_videos_ended_delivers_all_50_webhooks_once_restarted()
    {
        await using var poe = await InProcessSimulator.StartAsync(o => o.RequestsPerMinute = 100_000);
        // A slow consumer, so that at the kill some webhooks are in flight, some stored but not yet claimed, some not yet polled.
        await using var receiver = await WebhookReceiver.StartAsync(answer: async (context, closing) =>
        {
            await Task.Delay(1000, closing);
            context.Response.StatusCode = 204;
        });
        var shop = TestClient.Generate("shop");
        var connectionString = await PostgresServer.CreateDatabaseAsync("delivery_crash");
        try
        {
            var settings = BridgeSettings.For(connectionString, shop);
            settings["Poe:BaseUrl"] = poe.BaseUrl.AbsoluteUri;
            settings["Poe:RequestsPerMinute"] = "20000";
            // Short time-outs shorten the leases the killed instance leaves behind (time-out + margin) on polls and on webhooks.
            settings["Poe:Timeout"] = "00:00:02";
            settings["Webhooks:Timeout"] = "00:00:02";
            var videos = Enumerable.Range(0, Videos).Select(i => poe.CreateNeverEnding($"video_crash_{i:00}")).ToList();

            await using (var first = await BridgeProcess.StartAsync(settings))
            {
                using var client = first.CreateClient();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", shop.ApiKey);
                foreach (var video in videos)
                {
                    await client.CreateWatchAsync(video.Id, receiver.Url);
                }

                var now = DateTimeOffset.UtcNow;
                videos.ForEach(v => v.Force(VideoOutcome.Completed, now));
                await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
                await first.KillAsync();
            }

            var completed = await CountAsync(connectionString, "SELECT count(*) FROM bridge.watches WHERE status = 'completed'");
            var delivered = await CountAsync(connectionString, "SELECT count(*) FROM bridge.webhook_events WHERE status = 'delivered'");
            var arrived = receiver.Received.Select(r => r.Header("webhook-id")).Distinct().Count();
            output.WriteLine($"at the kill: {completed} of {Videos} watches recorded completed, {delivered} webhooks recorded delivered, {arrived} received");
            Assert.True(delivered < Videos, "the kill came after every delivery was recorded: nothing left to recover");

            var restarted = DateTimeOffset.UtcNow;
            await using var second = await BridgeProcess.StartAsync(settings);
            try
            {
                await Eventually.TrueAsync(() => Task.FromResult(receiver.Received.Select(r => r.Header("webhook-id")).Distinct().Count() == Videos),
                    TimeSpan.FromSeconds(120), "all 50 webhooks to arrive");
            }
            catch (TimeoutException)
            {
                output.WriteLine($"watches: {await CountAsync(connectionString, "SELECT count(*) FROM bridge.watches WHERE status = 'completed'")} completed; "
                    + $"events: {await CountAsync(connectionString, "SELECT count(*) FROM bridge.webhook_events")} stored, "
                    + $"{await CountAsync(connectionString, "SELECT count(*) FROM bridge.webhook_events WHERE status = 'delivered'")} delivered");
                output.WriteLine(string.Join('\n', second.Output));
                throw;
            }

            var recovery = DateTimeOffset.UtcNow - restarted;
            Assert.Equal(Videos, await CountAsync(connectionString, "SELECT count(*) FROM bridge.webhook_events"));
            await Eventually.TrueAsync(async () => await CountAsync(connectionString, "SELECT count(*) FROM bridge.webhook_events WHERE status = 'delivered'") == Videos,
                TimeSpan.FromSeconds(10), "every event to be recorded delivered");
            output.WriteLine($"after the restart: all {Videos} received within {recovery.TotalSeconds:F0} s, "
                + $"{receiver.Received.Count} requests in all (duplicates are allowed: at least once)");
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
