using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Poe.Simulator;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// A poll is counted on its video's target, not on each watch: a routine poll leaves the watches' rows alone, yet every
/// watch reads its own count (the polls since it was registered), time of the last poll and video, and an ended watch
/// keeps what it had.
/// </summary>
public sealed class PollTallyTests(PollTallyTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<PollTallyTests.Fixture>
{
    private readonly InProcessSimulator _poe = fixture.Poe;
    private readonly PollingBridge _bridge = fixture.Bridge;

    [Fact]
    public async Task Each_watch_of_a_video_reads_its_own_polls_while_routine_polls_write_only_the_target_and_a_cancelled_watch_keeps_its_count()
    {
        _poe.CreateNeverEnding("video_tally");
        var first = await PollingBridge.WatchAsync(_bridge.Shop, "video_tally", callbackUrl: PollingBridge.Callback("tally-first"));
        await Eventually.TrueAsync(async () => (await GetAsync(first)).GetProperty("poll_count").GetInt32() >= 2, TimeSpan.FromSeconds(10), "two polls of the first watch");
        var firstRow = await RowVersionAsync(first);

        // A watch registered later counts from its own registration, not the video's first poll.
        string second;
        using (var registered = await _bridge.Shop.PostAsJsonAsync("/v1/watches", new { video_id = "video_tally", callback_url = PollingBridge.Callback("tally-second") }))
        {
            var body = await registered.ReadJsonAsync();
            Assert.Equal(0, body.GetProperty("poll_count").GetInt32());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("last_polled_at").ValueKind);
            second = body.GetProperty("id").GetString()!;
        }
        await Eventually.TrueAsync(async () => (await GetAsync(second)).GetProperty("poll_count").GetInt32() >= 3, TimeSpan.FromSeconds(10), "three polls of the second watch");

        var (a, b) = (await GetAsync(first), await GetAsync(second));
        output.WriteLine($"first: {a.GetProperty("poll_count")} polls, second: {b.GetProperty("poll_count")}; Poe saw {_poe.RequestsFor("video_tally").Count}");
        Assert.True(a.GetProperty("poll_count").GetInt32() >= b.GetProperty("poll_count").GetInt32() + 2, $"first {a.GetProperty("poll_count")}, second {b.GetProperty("poll_count")}");
        Assert.InRange(a.GetProperty("poll_count").GetInt32(), _poe.RequestsFor("video_tally").Count - 1, _poe.RequestsFor("video_tally").Count);
        Assert.Equal(a.GetProperty("last_polled_at").GetInt64(), b.GetProperty("last_polled_at").GetInt64());
        Assert.Equal("in_progress", b.GetProperty("video").GetProperty("status").GetString());
        // Three routine polls later, the first watch's row is the version registration wrote.
        Assert.Equal(firstRow, await RowVersionAsync(first));

        using var cancel = await _bridge.Shop.DeleteAsync(new Uri($"/v1/watches/{first}", UriKind.Relative));
        var cancelled = (await cancel.ReadJsonAsync()).GetProperty("poll_count").GetInt32();
        var secondAtCancel = (await GetAsync(second)).GetProperty("poll_count").GetInt32();
        await Eventually.TrueAsync(async () => (await GetAsync(second)).GetProperty("poll_count").GetInt32() >= secondAtCancel + 2, TimeSpan.FromSeconds(10), "two more polls of the second watch");

        var after = await GetAsync(first);
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
        Assert.True(cancelled >= a.GetProperty("poll_count").GetInt32(), $"cancelled with {cancelled} polls, had {a.GetProperty("poll_count")}");
        Assert.Equal(cancelled, after.GetProperty("poll_count").GetInt32());
    }

    private async Task<JsonElement> GetAsync(string watchId)
    {
        using var response = await _bridge.Shop.GetAsync(new Uri($"/v1/watches/{watchId}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.ReadJsonAsync();
    }

    /// <summary>The row's version (<c>xmin</c>, the transaction that wrote it): it changes whenever a statement writes the row.</summary>
    private async Task<string> RowVersionAsync(string watchId)
    {
        await using var connection = new NpgsqlConnection(_bridge.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xmin::text FROM bridge.watches WHERE id = $1", connection) { Parameters = { new() { Value = watchId } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public sealed class Fixture : SimulatedPoeFixture;
}
