using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Poe.Simulator;
using Poe.Simulator.Auth;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>Must show: two instances, a budget of 60 a minute, 30 never-ending videos, 65 s: ≤ 60 requests in every 60 s window, every video polled.</summary>
public sealed class SharedBudgetTests(ITestOutputHelper output)
{
    private const int Budget = 60;
    private const int Videos = 30;
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(65);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_instances_together_never_send_more_than_the_budget_in_any_60_s_window_and_poll_every_video()
    {
        await using var poe = await InProcessSimulator.StartAsync();
        await using var bridge = await PollingBridge.CreateAsync(poe.BaseUrl, ("Poe:RequestsPerMinute", $"{Budget}"));
        var sent = new ConcurrentQueue<SentRequest>();
        bridge.StartInstance(CountingPoeRequests("A", sent));
        var second = bridge.StartInstance(CountingPoeRequests("B", sent));
        var videoIds = Enumerable.Range(0, Videos).Select(i => poe.CreateNeverEnding($"video_budget_{i:00}").Id).ToList();

        var started = DateTimeOffset.UtcNow;
        var viaSecond = bridge.ClientOf(second, bridge.ShopClient);
        for (var i = 0; i < videoIds.Count; i++)
        {
            await PollingBridge.WatchAsync(i % 2 == 0 ? bridge.Shop : viaSecond, videoIds[i]);
        }

        await Task.Delay(started + Run - DateTimeOffset.UtcNow);

        var keyId = ApiKeys.KeyId(PollingBridge.DefaultPoeKey);
        var requests = poe.Requests.Since().Where(r => r.KeyId == keyId).OrderBy(r => r.AtMs).ToList();
        var times = requests.Select(r => r.AtMs).ToList();
        // Every window [t, t + 60 s], closed, starting at a request (the fullest windows start at one).
        var fullest = times.Select((t, i) => (Start: t, Count: CountFrom(times, i, (long)Window.TotalMilliseconds))).MaxBy(w => w.Count);
        var byInstance = sent.CountBy(s => s.Instance).ToDictionary();
        output.WriteLine($"{requests.Count} requests in {Run.TotalSeconds:F0} s; fullest 60 s window: {fullest.Count} (from +{(fullest.Start - started.ToUnixTimeMilliseconds()) / 1000.0:F1} s)");
        output.WriteLine($"sent by instance A: {byInstance.GetValueOrDefault("A")}, by instance B: {byInstance.GetValueOrDefault("B")}");
        output.WriteLine($"request times (s after start): {string.Join(' ', times.Select(t => ((t - started.ToUnixTimeMilliseconds()) / 1000.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");
        output.WriteLine($"answers: {string.Join(", ", requests.CountBy(r => r.Status).Select(s => $"{s.Key}×{s.Value}"))}");

        Assert.True(fullest.Count <= Budget, $"{fullest.Count} requests in one 60 s window");
        Assert.All(requests, r => Assert.Equal(200, r.Status));
        Assert.Empty(videoIds.Except(requests.Select(r => r.VideoId)));
        // A video is claimed by one instance at a time: no two requests for it from different instances overlap.
        foreach (var video in sent.GroupBy(s => s.VideoId))
        {
            var ordered = video.OrderBy(s => s.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].Start >= ordered[i - 1].End, $"{video.Key} polled by {ordered[i - 1].Instance} and {ordered[i].Instance} at once");
            }
        }

        // The budget is spent, not merely respected: more than a minute's worth over 65 s.
        Assert.True(requests.Count > Budget, $"only {requests.Count} requests in {Run.TotalSeconds} s");
    }

    private static int CountFrom(List<long> sorted, int start, long windowMs)
    {
        var end = start;
        while (end < sorted.Count && sorted[end] - sorted[start] <= windowMs)
        {
            end++;
        }

        return end - start;
    }

    /// <summary>Tells the instances apart: each counts what its own Poe client sends.</summary>
    private static Action<IWebHostBuilder> CountingPoeRequests(string instance, ConcurrentQueue<SentRequest> sent) =>
        builder => builder.ConfigureTestServices(services =>
            services.AddHttpClient<PoeClient>().AddHttpMessageHandler(() => new CountingHandler(instance, sent)));

    private sealed class CountingHandler(string instance, ConcurrentQueue<SentRequest> sent) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var start = DateTimeOffset.UtcNow;
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                sent.Enqueue(new SentRequest(instance, request.RequestUri!.Segments[^1], start, DateTimeOffset.UtcNow));
            }
        }
    }

    private sealed record SentRequest(string Instance, string VideoId, DateTimeOffset Start, DateTimeOffset End);
}
