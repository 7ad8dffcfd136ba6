using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using Poe.Simulator;
using Poe.Simulator.Auth;
using Poe.Simulator.Requests;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Polling;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Gateway;

/// <summary>
/// Must show (SPEC §10): while polls spend a key's whole budget, a create and a download still go out within 2 s, and
/// no 60 s window holds more requests than the budget, counting creates, polls and downloads alike.
/// </summary>
[Collection(AloneCollectionDefinition.Name)]
public sealed class GatewayBudgetTests(ITestOutputHelper output)
{
    private const int Budget = 60;
    private const int Videos = 70;
    private static readonly TimeSpan Priority = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task With_polls_saturating_the_budget_a_create_and_a_download_go_out_within_2_s_and_no_60_s_window_exceeds_it()
    {
        await using var poe = await InProcessSimulator.StartAsync(o => (o.DefaultQueuedTime, o.DefaultRunningTime) = (TimeSpan.Zero, TimeSpan.Zero));
        await using var bridge = await PollingBridge.StartAsync(poe.BaseUrl, ("Poe:RequestsPerMinute", $"{Budget}"), ("Polling:Strategy", "fixed"));
        var started = DateTimeOffset.UtcNow;
        var done = await CreateAsync(bridge, """{"model":"Sora-2"}""");
        await Eventually.TrueAsync(async () => await bridge.ReadWatchAsync(done) is { Status: "completed" }, TimeSpan.FromSeconds(20), "the first video to complete");
        for (var i = 0; i < Videos; i++)
        {
            await PollingBridge.WatchAsync(bridge.Shop, poe.CreateNeverEnding($"video_busy_{i:00}").Id);
        }

        await Eventually.TrueAsync(() => PollSlotsSpentAsync(bridge), TimeSpan.FromSeconds(90), "polls to take every poll slot");
        var createdAt = DateTimeOffset.UtcNow;
        var created = await CreateAsync(bridge, """{"model":"Veo-3"}""");
        var downloadAt = DateTimeOffset.UtcNow;
        using (var content = await bridge.Shop.GetAsync(new Uri($"/v1/watches/{done}/content", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        }

        // Past the first minute: the slots taken early are taken again, and windows spanning both minutes are checked.
        await Task.Delay(TimeSpan.FromSeconds(15));

        var keyId = ApiKeys.KeyId(PollingBridge.DefaultPoeKey);
        var requests = poe.Requests.Since().Where(r => r.KeyId == keyId).OrderBy(r => r.AtMs).ToList();
        var createSent = Sent(requests, "create", createdAt);
        var contentSent = Sent(requests, "content", downloadAt);
        var busiest = RequestWindows.Busiest(requests.Select(r => r.AtMs), TimeSpan.FromSeconds(60));
        output.WriteLine($"{requests.Count} requests in {(DateTimeOffset.UtcNow - started).TotalSeconds:F0} s ({string.Join(", ", requests.CountBy(r => r.Operation))}); " +
            $"busiest 60 s window {busiest}; create sent {createSent.TotalMilliseconds:F0} ms after it was asked, download {contentSent.TotalMilliseconds:F0} ms");

        Assert.True(createSent <= Priority, $"the create went out {createSent.TotalMilliseconds:F0} ms after it was asked");
        Assert.True(contentSent <= Priority, $"the download went out {contentSent.TotalMilliseconds:F0} ms after it was asked");
        Assert.True(busiest <= Budget, $"{busiest} requests in one 60 s window");
        Assert.All(requests, r => Assert.Equal(200, r.Status));
        Assert.NotNull(created);
    }

    private static TimeSpan Sent(List<RequestLogEntry> requests, string operation, DateTimeOffset askedAt) =>
        TimeSpan.FromMilliseconds(requests.Last(r => r.Operation == operation).AtMs - askedAt.ToUnixTimeMilliseconds());

    /// <summary>Whether every slot polls may take is taken: the next poll waits for one to free.</summary>
    private static async Task<bool> PollSlotsSpentAsync(PollingBridge bridge)
    {
        await using var connection = new NpgsqlConnection(bridge.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM bridge.rate_slots WHERE slot < $1 AND available_at > now()", connection);
        command.Parameters.AddWithValue(PoeBudget.PollSlots(Budget));
        return (long)(await command.ExecuteScalarAsync())! >= PoeBudget.PollSlots(Budget);
    }

    private static async Task<string> CreateAsync(PollingBridge bridge, string poeBody)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, object>>(poeBody)!;
        body["callback_url"] = PollingBridge.Callback();
        var watch = Stopwatch.StartNew();
        using var response = await bridge.Shop.PostAsync(new Uri("/v1/videos", UriKind.Relative), Http.Json(JsonSerializer.Serialize(body)));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} after {watch.ElapsedMilliseconds} ms");
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }
}
