using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Poe.Simulator.Videos;

namespace Poe.Simulator.Tests.Videos;

/// <summary>Poe's create, remix and extend rules (SPEC §10), and its error bodies.</summary>
public sealed class VideoCreationTests
{
    [Fact]
    public async Task Veo_models_have_their_own_defaults_and_seconds_is_an_integer()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var video = await sim.CreateAsync(new { model = "Veo-3.1-Fast", prompt = "a fox" });

        Assert.Equal("Veo-3.1-Fast", video.GetProperty("model").GetString());
        Assert.Equal(8, video.GetProperty("seconds").GetInt32());
        Assert.Equal("1280x720", video.GetProperty("size").GetString());
        Assert.Equal("queued", video.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"model":"Dall-E-3"}""", "model_not_found")]
    [InlineData("""{"model":"Sora-2","seconds":5}""", "invalid_request")]
    [InlineData("""{"model":"Sora-2","size":"640x480"}""", "invalid_request")]
    public async Task A_create_Poe_cannot_make_is_400_with_Poes_error_body(string body, string code)
    {
        await using var sim = await RunningSimulator.StartAsync();

        using var response = await PostAsync(sim, "/v1/videos", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(0, sim.Videos.Count);
    }

    [Fact]
    public async Task A_completed_Sora_video_can_be_remixed_and_extended_up_to_120_seconds_in_all()
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "src", model = "Sora-2", seconds = 12, simulation = new { queued_ms = 0, running_ms = 0 } });

        var remix = await ReadAsync(await PostAsync(sim, "/v1/videos/src/remix", """{"prompt":"in winter"}"""), HttpStatusCode.OK);
        var extension = await ReadAsync(await PostAsync(sim, "/v1/videos/extensions", """{"video":{"id":"src"},"prompt":"and on","seconds":8}"""), HttpStatusCode.OK);
        await sim.CreateAsync(new { id = "long", model = "Sora-2", seconds = 12, simulation = new { queued_ms = 0, running_ms = 0 } });
        sim.Videos.Create(sim.Videos.Find("long")!.Spec with { Seconds = 116 });
        using var tooLong = await PostAsync(sim, "/v1/videos/extensions", """{"video":{"id":"long"},"prompt":"more","seconds":8}""");

        Assert.Equal("src", remix.GetProperty("remixed_from_video_id").GetString());
        Assert.Equal("Sora-2", remix.GetProperty("model").GetString());
        Assert.Equal(12, remix.GetProperty("seconds").GetInt32());
        Assert.Equal(20, extension.GetProperty("seconds").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task Remixing_a_Veo_video_or_an_unfinished_one_is_400_and_an_unknown_one_404()
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "veo", model = "Veo-3", simulation = new { queued_ms = 0, running_ms = 0 } });
        await sim.CreateAsync(new { id = "running", model = "Sora-2", simulation = new { queued_ms = 60_000 } });

        using var veo = await PostAsync(sim, "/v1/videos/veo/remix", """{"prompt":"x"}""");
        using var running = await PostAsync(sim, "/v1/videos/extensions", """{"video":{"id":"running"},"prompt":"x"}""");
        using var unknown = await PostAsync(sim, "/v1/videos/nope/remix", """{"prompt":"x"}""");

        Assert.Equal(HttpStatusCode.BadRequest, veo.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, running.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_key_whose_points_are_used_up_gets_402()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.PointsPerKey = 10);

        using var first = await PostAsync(sim, "/v1/videos", """{"model":"Sora-2","seconds":8}""");
        using var second = await PostAsync(sim, "/v1/videos", """{"model":"Sora-2","seconds":4}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, second.StatusCode);
        var error = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("insufficient_points", error.GetProperty("code").GetString());
        Assert.Equal(1, sim.Videos.Count);
    }

    [Theory]
    [InlineData(null, "video/mp4")]
    [InlineData("thumbnail", "image/webp")]
    [InlineData("spritesheet", "image/jpeg")]
    public async Task A_completed_video_serves_each_variant_with_its_type_and_404_before(string? variant, string contentType)
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.CreateAsync(new { id = "v1", simulation = new { queued_ms = 0, running_ms = 1000 } });
        var path = "/v1/videos/v1/content" + (variant is null ? "" : "?variant=" + variant);

        using var early = await sim.Client.GetAsync(new Uri(path, UriKind.Relative));
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        using var done = await sim.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(contentType, done.Content.Headers.ContentType?.MediaType);
        var bytes = await done.Content.ReadAsByteArrayAsync();
        Assert.Equal(VideoAssets.For(variant)!.Bytes, bytes);
        Assert.Equal(bytes.Length, done.Content.Headers.ContentLength);
        Assert.Equal(["create", "content", "content"], sim.Requests.Since().Select(r => r.Operation));
    }

    [Fact]
    public async Task The_shipped_assets_are_real_files_of_their_types()
    {
        Assert.Equal("ftyp"u8.ToArray(), VideoAssets.For(null)!.Bytes[4..8]);
        Assert.Equal("WEBP"u8.ToArray(), VideoAssets.For("thumbnail")!.Bytes[8..12]);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, VideoAssets.For("spritesheet")!.Bytes[..3]);
        await Task.CompletedTask;
    }

    private static Task<HttpResponseMessage> PostAsync(RunningSimulator sim, string path, string body) =>
        sim.Client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            Assert.Equal(expected, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
    }
}
