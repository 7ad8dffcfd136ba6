using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Poe.Simulator.Tests.Requests;

public sealed class RequestLogTests
{
    private static readonly string KeyId =
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RunningSimulator.Key)))[..8];

    [Fact]
    public async Task Every_poll_is_logged_with_time_hashed_key_video_and_status()
    {
        await using var sim = await RunningSimulator.StartAsync();
        sim.Videos.Create(new() { Id = "v1" });
        using var anonymous = sim.CreateClient(key: null);

        (await sim.PollAsync("v1")).Dispose();
        sim.Time.Advance(TimeSpan.FromMilliseconds(1500));
        (await sim.PollAsync("nope")).Dispose();
        (await anonymous.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative))).Dispose();

        var log = await sim.Client.GetFromJsonAsync<JsonElement>(new Uri("/simulator/requests", UriKind.Relative));
        var entries = log.EnumerateArray().ToList();

        Assert.Equal(3, entries.Count);
        Assert.Equal(RunningSimulator.Start.ToUnixTimeMilliseconds(), entries[0].GetProperty("at_ms").GetInt64());
        Assert.Equal(KeyId, entries[0].GetProperty("key_id").GetString());
        Assert.Equal("v1", entries[0].GetProperty("video_id").GetString());
        Assert.Equal(200, entries[0].GetProperty("status").GetInt32());
        Assert.Equal(404, entries[1].GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, entries[2].GetProperty("key_id").ValueKind);
        Assert.Equal(401, entries[2].GetProperty("status").GetInt32());
        Assert.DoesNotContain(RunningSimulator.Key, log.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_can_be_read_from_a_point_in_time()
    {
        await using var sim = await RunningSimulator.StartAsync();
        sim.Videos.Create(new() { Id = "v1" });
        (await sim.PollAsync("v1")).Dispose();
        sim.Time.Advance(TimeSpan.FromSeconds(5));
        var since = sim.Time.GetUtcNow().ToUnixTimeMilliseconds();
        (await sim.PollAsync("v1")).Dispose();

        var log = await sim.Client.GetFromJsonAsync<JsonElement>(new Uri($"/simulator/requests?since={since}", UriKind.Relative));

        Assert.Equal(since, Assert.Single(log.EnumerateArray()).GetProperty("at_ms").GetInt64());
        Assert.Equal(2, sim.Requests.Since().Count);
    }

    [Fact]
    public async Task Deleting_the_log_empties_it()
    {
        await using var sim = await RunningSimulator.StartAsync();
        (await sim.PollAsync("v1")).Dispose();

        using var deleted = await sim.Client.DeleteAsync(new Uri("/simulator/requests", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(sim.Requests.Since());
    }

    [Fact]
    public async Task Stats_count_polls_per_key_and_per_status()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.RequestsPerMinute = 2);
        sim.Videos.Create(new() { Id = "v1" });
        for (var i = 0; i < 3; i++)
            (await sim.PollAsync("v1")).Dispose();
        (await sim.CreateClient(key: null).GetAsync(new Uri("/v1/videos/v1", UriKind.Relative))).Dispose();

        var stats = await sim.Client.GetFromJsonAsync<JsonElement>(new Uri("/simulator/stats", UriKind.Relative));

        Assert.Equal(4, stats.GetProperty("total").GetInt32());
        Assert.Equal(3, stats.GetProperty("by_key_id").GetProperty(KeyId).GetInt32());
        Assert.Equal(1, stats.GetProperty("by_key_id").GetProperty("none").GetInt32());
        Assert.Equal(2, stats.GetProperty("by_status").GetProperty("200").GetInt32());
        Assert.Equal(1, stats.GetProperty("by_status").GetProperty("429").GetInt32());
        Assert.Equal(1, stats.GetProperty("by_status").GetProperty("401").GetInt32());
    }
}
