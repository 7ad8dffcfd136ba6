using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Gateway;

/// <summary>SPEC §10 end to end against the Poe simulator: one call creates and watches, the webhook reports the end, the file comes through the bridge.</summary>
public sealed class GatewayFlowTests(GatewaySimulator fixture) : IClassFixture<GatewaySimulator>
{
    [Fact]
    public async Task Create_answers_the_watch_then_the_completed_webhook_arrives_then_the_content_is_the_simulators()
    {
        var watch = await CreateAsync("/v1/videos", """{"model":"Sora-2","prompt":"a fox","seconds":4,"metadata":{"order":"42"}}""");

        Assert.Equal("Sora-2", watch.GetProperty("video").GetProperty("model").GetString());
        Assert.Equal(4, watch.GetProperty("video").GetProperty("seconds").GetInt32());
        await AssertCompletedAndDownloadableAsync(watch);
    }

    [Fact]
    public async Task Remix_and_extend_of_a_completed_Sora_video_each_make_a_new_watched_video()
    {
        var source = fixture.Poe.Videos.Create(new VideoSpec { Model = "Sora-2", Seconds = 8, QueuedTime = TimeSpan.Zero, RunningTime = TimeSpan.Zero }).Id;

        var remix = await CreateAsync($"/v1/videos/{source}/remix", """{"prompt":"in winter"}""");
        var extension = await CreateAsync("/v1/videos/extensions", $$"""{"video":{"id":"{{source}}"},"prompt":"and on","seconds":4}""");

        Assert.Equal(source, remix.GetProperty("video").GetProperty("remixed_from_video_id").GetString());
        Assert.Equal(12, extension.GetProperty("video").GetProperty("seconds").GetInt32());
        await AssertCompletedAndDownloadableAsync(remix);
        await AssertCompletedAndDownloadableAsync(extension);
    }

    [Fact]
    public async Task Content_is_409_until_completed_404_for_another_client_and_410_once_expired()
    {
        var watch = await CreateAsync("/v1/videos", """{"model":"Sora-2","simulation":{"queued_ms":600000}}""");
        var id = watch.GetProperty("id").GetString()!;

        using var early = await fixture.Bridge.Shop.GetAsync(new Uri($"/v1/watches/{id}/content", UriKind.Relative));
        using var foreign = await fixture.Bridge.Studio.GetAsync(new Uri($"/v1/watches/{id}/content", UriKind.Relative));
        using var badVariant = await fixture.Bridge.Shop.GetAsync(new Uri($"/v1/watches/{id}/content?variant=poster", UriKind.Relative));
        var expired = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        await fixture.Bridge.Database.QueryAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE bridge.watches SET status = 'completed', video = jsonb_set(video, '{{expires_at}}', to_jsonb({expired})) WHERE id = {id}"));
        using var gone = await fixture.Bridge.Shop.GetAsync(new Uri($"/v1/watches/{id}/content", UriKind.Relative));

        Assert.Equal("video_not_completed", (await early.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString());
        await foreign.AssertProblemAsync(HttpStatusCode.NotFound);
        await badVariant.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("video_expired", (await gone.AssertProblemAsync(HttpStatusCode.Gone)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_create_Poe_refuses_comes_back_with_Poes_error_and_no_watch()
    {
        using var response = await fixture.Bridge.Shop.PostAsync(new Uri("/v1/videos", UriKind.Relative),
            Http.Json($$"""{"model":"Dall-E-3","prompt":"a fox","callback_url":"{{fixture.Receiver.Url}}"}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("model_not_found", problem.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Metrics_count_Poe_requests_by_operation()
    {
        await CreateAsync("/v1/videos", """{"model":"Veo-3"}""");

        using var metrics = await fixture.Bridge.Shop.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await metrics.Content.ReadAsStringAsync();

        var series = text.Split('\n').Where(l => l.StartsWith("bridge_poe_requests_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(series, l => l.Contains("code=\"200\"", StringComparison.Ordinal) && l.Contains("operation=\"create\"", StringComparison.Ordinal));
        Assert.Contains(series, l => l.Contains("operation=\"poll\"", StringComparison.Ordinal));
    }

    /// <summary>Posts a gateway request with the watch fields added; asserts 201 and returns the watch.</summary>
    private async Task<JsonElement> CreateAsync(string path, string poeBody)
    {
        var body = JsonNode.Parse(poeBody)!.AsObject();
        body["callback_url"] = fixture.Receiver.Url;
        using var response = await fixture.Bridge.Shop.PostAsync(new Uri(path, UriKind.Relative), Http.Json(body.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        var watch = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal($"/v1/watches/{watch.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("active", watch.GetProperty("status").GetString());
        return watch;
    }

    private async Task AssertCompletedAndDownloadableAsync(JsonElement watch)
    {
        var id = watch.GetProperty("id").GetString()!;
        var videoId = watch.GetProperty("video_id").GetString()!;
        await Eventually.TrueAsync(
            () => Task.FromResult(fixture.Receiver.Received.Any(w => w.Body.Contains($"\"{id}\"", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20), $"the webhook of {id}");
        using var webhook = JsonDocument.Parse(fixture.Receiver.Received.First(w => w.Body.Contains($"\"{id}\"", StringComparison.Ordinal)).Body);
        Assert.Equal("video.completed", webhook.RootElement.GetProperty("type").GetString());
        Assert.Equal(videoId, webhook.RootElement.GetProperty("data").GetProperty("id").GetString());

        foreach (var variant in new string?[] { null, "thumbnail", "spritesheet" })
        {
            using var content = await fixture.Bridge.Shop.GetAsync(new Uri($"/v1/watches/{id}/content" + (variant is null ? "" : $"?variant={variant}"), UriKind.Relative));
            var expected = VideoAssets.For(variant)!;
            Assert.Equal(HttpStatusCode.OK, content.StatusCode);
            Assert.Equal(expected.ContentType, content.Content.Headers.ContentType?.MediaType);
            Assert.Equal(expected.Bytes.Length, content.Content.Headers.ContentLength);
            Assert.Equal(expected.Bytes, await content.Content.ReadAsByteArrayAsync());
        }
    }
}
