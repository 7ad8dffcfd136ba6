using System.Globalization;
using System.Net;
using System.Text.Json;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Gateway;

/// <summary>SPEC §10: Poe's refusals come back as problems carrying Poe's error, with the status a gateway owes its caller; none stores a watch.</summary>
public sealed class PoeErrorTests(GatewayFakePoe gateway) : IClassFixture<GatewayFakePoe>
{
    private const string Create = "/v1/videos";
    private static readonly string Body = """{"model":"Sora-2","prompt":"a fox","callback_url":"https://app.example/hooks/poe"}""";

    [Theory]
    [InlineData(400, HttpStatusCode.BadRequest, "poe_bad_request")]
    [InlineData(401, HttpStatusCode.BadGateway, "poe_key_rejected")]
    [InlineData(402, HttpStatusCode.PaymentRequired, "poe_points_exhausted")]
    [InlineData(403, HttpStatusCode.BadGateway, "poe_key_rejected")]
    [InlineData(404, HttpStatusCode.NotFound, "poe_video_not_found")]
    [InlineData(500, HttpStatusCode.BadGateway, "poe_unavailable")]
    [InlineData(503, HttpStatusCode.BadGateway, "poe_unavailable")]
    public async Task A_Poe_refusal_is_a_problem_carrying_Poes_error_and_stores_no_watch(int poeStatus, HttpStatusCode expected, string type)
    {
        gateway.Poe.Script(FakePoe.Post(Create), PoeAnswer.Error(poeStatus, $"code_{poeStatus}"));
        var watches = await gateway.WatchCountAsync();

        using var response = await gateway.PostAsync(Create, Body);

        var problem = await response.AssertProblemAsync(expected);
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.Equal($"code_{poeStatus}", problem.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(watches, await gateway.WatchCountAsync());
    }

    [Fact]
    public async Task Points_used_up_is_402_and_says_so_plainly()
    {
        gateway.Poe.Script(FakePoe.Post(Create), PoeAnswer.Error(402, "insufficient_points"));

        using var response = await gateway.PostAsync(Create, Body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Contains("points are used up", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Poe_429_keeps_its_status_and_Retry_After_and_leaves_the_key_free_for_a_retry_after_it()
    {
        gateway.Poe.Script(FakePoe.Post(Create), PoeAnswer.Error(429, "rate_limit_exceeded").WithHeader("Retry-After", "3"), Video("video_after_429"));
        var watches = await gateway.WatchCountAsync();
        var limitedAt = DateTimeOffset.UtcNow;

        using var limited = await gateway.PostAsync(Create, Body, "key-429");
        var sent = gateway.PostsTo(Create);
        // Poe asked for 3 s; the bridge waits at most Poe:Timeout (1 s here), so it answers a retry before then itself.
        using var early = await gateway.PostAsync(Create, Body, "key-429");
        var earlySent = gateway.PostsTo(Create);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, (limitedAt + TimeSpan.FromSeconds(3) - DateTimeOffset.UtcNow).TotalSeconds)));
        using var retried = await gateway.PostAsync(Create, Body, "key-429");

        var problem = await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("poe_rate_limited", problem.GetProperty("type").GetString());
        Assert.Equal("3", limited.Headers.GetValues("Retry-After").Single());
        var refused = await early.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_budget_exhausted", refused.GetProperty("type").GetString());
        Assert.InRange(int.Parse(early.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 3);
        Assert.Equal(sent, earlySent);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(watches + 1, await gateway.WatchCountAsync());
    }

    [Fact]
    public async Task A_Poe_that_does_not_answer_in_time_is_504_creation_outcome_unknown_and_the_key_replays_it_without_a_second_create()
    {
        gateway.Poe.Script(FakePoe.Post(Create), PoeAnswer.Hanging());
        var watches = await gateway.WatchCountAsync();
        var sent = gateway.PostsTo(Create);

        using var timedOut = await gateway.PostAsync(Create, Body, "key-timeout");
        using var repeated = await gateway.PostAsync(Create, Body, "key-timeout");

        var problem = await timedOut.AssertProblemAsync(HttpStatusCode.GatewayTimeout);
        Assert.Equal("creation_outcome_unknown", problem.GetProperty("type").GetString());
        await repeated.AssertProblemAsync(HttpStatusCode.GatewayTimeout);
        Assert.Equal("true", repeated.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(sent + 1, gateway.PostsTo(Create));
        Assert.Equal(watches, await gateway.WatchCountAsync());
    }

    [Fact]
    public async Task A_bad_callback_url_is_400_as_for_watches_and_Poe_is_never_called()
    {
        // Creates only: the class's bridge keeps polling the videos other tests made.
        var sent = gateway.PostsTo(Create);

        using var response = await gateway.PostAsync(Create, """{"model":"Sora-2","prompt":"a fox","callback_url":"not a url","events":["video.done"]}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("callback_url", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("events", out _));
        Assert.Equal(sent, gateway.PostsTo(Create));
    }

    [Fact]
    public async Task Poes_fields_reach_Poe_as_written_without_the_watch_fields_and_the_watch_holds_Poes_answer()
    {
        gateway.Poe.Script(FakePoe.Post(Create), Video("video_fields"));

        using var response = await gateway.PostAsync(Create,
            """{"model":"Veo-3","callback_url":"https://app.example/hooks/poe","prompt":"a fox","seconds":8,"metadata":{"order":"42"},"future":{"a":[1,2.50]}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var watch = await response.ReadJsonAsync();
        Assert.Equal($"/v1/watches/{watch.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("video_fields", watch.GetProperty("video_id").GetString());
        Assert.Equal("video_fields", watch.GetProperty("video").GetProperty("id").GetString());
        Assert.Equal("42", watch.GetProperty("metadata").GetProperty("order").GetString());
        var sent = gateway.Poe.Requests.Last(r => r.VideoId == FakePoe.Post(Create)).Body;
        Assert.Equal("""{"model":"Veo-3","prompt":"a fox","seconds":8,"future":{"a":[1,2.50]}}""", sent);
    }

    [Fact]
    public async Task An_Idempotency_Key_makes_one_video_a_repeat_replays_it_and_another_body_is_422()
    {
        gateway.Poe.Script(FakePoe.Post(Create), PoeAnswer.Video("video_once", "queued", 0) with { Delay = TimeSpan.FromMilliseconds(300) });
        var sent = gateway.PostsTo(Create);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => gateway.PostAsync(Create, Body, "key-once")));
        using var replay = await gateway.PostAsync(Create, Body, "key-once");
        using var other = await gateway.PostAsync(Create, Body.Replace("a fox", "a cat", StringComparison.Ordinal), "key-once");

        Assert.Equal(sent + 1, gateway.PostsTo(Create));
        Assert.All(concurrent, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var first = await concurrent.Single(r => r.StatusCode == HttpStatusCode.Created).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first, await replay.Content.ReadAsStringAsync());
        var busy = concurrent.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
        foreach (var response in busy)
        {
            Assert.Equal("request_in_progress", (await response.ReadJsonAsync()).GetProperty("type").GetString());
        }

        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        foreach (var response in concurrent)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_remix_goes_to_Poes_remix_of_the_source_and_an_unknown_source_is_404()
    {
        gateway.Poe.Script(FakePoe.Post("/v1/videos/video_gone/remix"), PoeAnswer.Error(404, "not_found"));

        using var response = await gateway.PostAsync("/v1/videos/video_gone/remix", """{"prompt":"x","callback_url":"https://app.example/hooks/poe"}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("poe_video_not_found", problem.GetProperty("type").GetString());
        Assert.Equal("""{"prompt":"x"}""", gateway.Poe.Requests.Last(r => r.VideoId == FakePoe.Post("/v1/videos/video_gone/remix")).Body);
    }

    private static PoeAnswer Video(string id) => PoeAnswer.Video(id, "queued", 0);
}
