using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Poe.Simulator.Tests.Videos;

public sealed class VideoControlTests
{
    [Fact]
    public async Task Creating_a_video_without_an_id_gives_it_a_video_prefixed_id_and_Poe_defaults()
    {
        await using var sim = await RunningSimulator.StartAsync();

        using var response = await sim.Client.PostAsync(new Uri("/v1/videos", UriKind.Relative), null);
        var video = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("video_", video.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("Sora-2", video.GetProperty("model").GetString());
        Assert.Equal(4, video.GetProperty("seconds").GetInt32());
        Assert.Equal("720x1280", video.GetProperty("size").GetString());
        Assert.Equal("queued", video.GetProperty("status").GetString());
        Assert.NotNull(sim.Videos.Find(video.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Forcing_completion_completes_a_queued_video_at_once()
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "v1", simulation = new { queued_ms = 60_000 } });

        using var forced = await sim.Client.PostAsync(new Uri("/v1/videos/v1/complete", UriKind.Relative), null);
        var video = await sim.PollJsonAsync("v1");

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal("completed", video.GetProperty("status").GetString());
        Assert.Equal(100, video.GetProperty("progress").GetInt32());
        Assert.Equal(RunningSimulator.Start.ToUnixTimeSeconds(), video.GetProperty("completed_at").GetInt64());
    }

    [Fact]
    public async Task Forcing_failure_fails_a_running_video_at_once()
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "v1", simulation = new { queued_ms = 0, running_ms = 60_000 } });

        using var forced = await sim.Client.PostAsync(new Uri("/v1/videos/v1/fail", UriKind.Relative), null);
        var video = await sim.PollJsonAsync("v1");

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal("failed", video.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Object, video.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Forcing_an_unknown_video_is_404()
    {
        await using var sim = await RunningSimulator.StartAsync();

        using var response = await sim.Client.PostAsync(new Uri("/v1/videos/nope/complete", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"simulation":{"outcome":"exploded"}}""")]
    [InlineData("""{"simulation":{"curve":"zigzag"}}""")]
    [InlineData("""{"simulation":{"queued_ms":-1}}""")]
    [InlineData("""{"simulation":{"faults":[{"kind":"meteor"}]}}""")]
    [InlineData("""{"simulation":{"faults":[{"kind":"status"}]}}""")]
    [InlineData("""{"simulation":{"faults":[{"kind":"delay"}]}}""")]
    public async Task An_invalid_simulation_is_rejected_with_a_Poe_style_400(string body)
    {
        await using var sim = await RunningSimulator.StartAsync();

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await sim.Client.PostAsync(new Uri("/v1/videos", UriKind.Relative), content);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(0, sim.Videos.Count);
    }

    [Fact]
    public async Task Creating_needs_a_valid_key()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.ApiKeys = ["good"]);
        using var client = sim.CreateClient("bad");

        using var response = await client.PostAsync(new Uri("/v1/videos", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, sim.Videos.Count);
    }

    [Fact]
    public async Task An_unknown_video_is_404_with_a_Poe_error_body()
    {
        await using var sim = await RunningSimulator.StartAsync();

        using var response = await sim.PollAsync("nope");
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var detail = error.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(detail.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", detail.GetProperty("type").GetString());
        Assert.Equal("not_found", detail.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unknown_videos_are_created_on_first_poll_when_auto_create_is_on()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.AutoCreateUnknownVideos = true);

        var video = await sim.PollJsonAsync("video_demo");

        Assert.Equal("video_demo", video.GetProperty("id").GetString());
        Assert.Equal("queued", video.GetProperty("status").GetString());
        sim.Time.Advance(TimeSpan.FromSeconds(22));
        Assert.Equal("completed", (await sim.PollJsonAsync("video_demo")).GetProperty("status").GetString());
    }
}
