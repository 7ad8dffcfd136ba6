using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.Gateway;

/// <summary>SPEC §10 under SIGKILL: at most one Poe video per Idempotency-Key, across crashes and instances.</summary>
[Collection(ProcessTests.Name)]
public sealed class GatewayCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_bridge_killed_while_Poe_holds_the_create_answer_leaves_the_key_creation_outcome_unknown_and_never_creates_again()
    {
        await using var poe = await FakePoe.StartAsync();
        poe.Script(FakePoe.Post("/v1/videos"), PoeAnswer.Hanging());
        await using var cluster = await BridgeCluster.StartAsync("gateway_crash", size: 1, configure: s => s["Poe:BaseUrl"] = poe.BaseUrl.AbsoluteUri);
        var inFlight = SendAsync(cluster, 0, "crash-in-flight");
        await Eventually.TrueAsync(() => Task.FromResult(Creates(poe) == 1), Settle, () => Task.FromResult("the create to reach Poe"));

        await cluster.KillAsync(0);
        await inFlight;
        // Had the bridge sent the create again, Poe would make the video now.
        poe.Script(FakePoe.Post("/v1/videos"), PoeAnswer.Video("video_second", "queued", 0));
        await cluster.StartInstanceAsync(0);

        var answers = new List<(HttpStatusCode Status, string Type)>();
        await Eventually.TrueAsync(async () =>
        {
            var answer = await SendAsync(cluster, 0, "crash-in-flight");
            answers.Add((answer!.Value.Status, Type(answer.Value.Body)));
            return answers[^1].Type == "creation_outcome_unknown";
        }, Settle, () => Task.FromResult(string.Join(", ", answers)));
        var again = await SendAsync(cluster, 0, "crash-in-flight");

        output.WriteLine($"answers after the restart: {string.Join(", ", answers)}");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        Assert.Equal((HttpStatusCode.Conflict, "creation_outcome_unknown"), (again!.Value.Status, Type(again.Value.Body)));
        Assert.Equal(1, Creates(poe));
    }

    [Fact]
    public async Task A_bridge_killed_after_storing_the_answer_replays_the_watch_and_its_webhook_still_arrives()
    {
        await using var cluster = await BridgeCluster.StartAsync("gateway_replay", size: 1, simulator: o => (o.DefaultQueuedTime, o.DefaultRunningTime) = (TimeSpan.Zero, TimeSpan.FromSeconds(3)));

        var first = await SendAsync(cluster, 0, "crash-after-answer");
        await cluster.RestartAsync(0);
        var replay = await SendAsync(cluster, 0, "crash-after-answer");

        Assert.Equal(HttpStatusCode.Created, first!.Value.Status);
        Assert.Equal((HttpStatusCode.Created, first.Value.Body), (replay!.Value.Status, replay.Value.Body));
        Assert.Equal("true", replay.Value.Replayed);
        var watchId = JsonDocument.Parse(first.Value.Body).RootElement.GetProperty("id").GetString()!;
        await Eventually.TrueAsync(() => Task.FromResult(Receipt.From(cluster.Receiver.Received).Any(r => r.WatchId == watchId && r.Type == "video.completed")),
            Settle, () => cluster.DescribeAsync());
        Assert.Equal(1, cluster.Poe.Requests.Since().Count(r => r.Operation == "create"));
    }

    [Fact]
    public async Task Fifty_concurrent_repeats_of_one_key_across_two_instances_make_one_Poe_video()
    {
        await using var cluster = await BridgeCluster.StartAsync("gateway_race", size: 2);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SendAsync(cluster, i % 2, "race")));
        var settled = await SendAsync(cluster, 0, "race");

        output.WriteLine($"answers: {string.Join(", ", answers.CountBy(a => a?.Status.ToString() ?? "none"))}");
        Assert.Equal(1, cluster.Poe.Requests.Since().Count(r => r.Operation == "create"));
        Assert.All(answers, a => Assert.Contains(a!.Value.Status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var created = answers.Where(a => a!.Value.Status == HttpStatusCode.Created).Select(a => a!.Value.Body).Distinct().ToList();
        Assert.Equal([settled!.Value.Body], created);
        Assert.Equal(HttpStatusCode.Created, settled.Value.Status);
    }

    private static int Creates(FakePoe poe) => poe.Requests.Count(r => r.VideoId == FakePoe.Post("/v1/videos"));

    private static string Type(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("type").GetString()!;

    /// <returns>Status, body and Idempotent-Replayed of the answer; null when the bridge died before answering.</returns>
    private static async Task<(HttpStatusCode Status, string Body, string? Replayed)?> SendAsync(BridgeCluster cluster, int instance, string key)
    {
        using var api = cluster.Api(instance);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos")
        {
            Content = JsonContent.Create(new { model = "Sora-2", prompt = "a fox", callback_url = cluster.Receiver.Url }),
        };
        request.Headers.Add("Idempotency-Key", key);
        try
        {
            using var response = await api.SendAsync(request);
            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) ? values.Single() : null;
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), replayed);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException or IOException)
        {
            return null;
        }
    }
}
