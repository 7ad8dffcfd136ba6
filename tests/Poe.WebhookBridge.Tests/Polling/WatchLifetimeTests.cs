using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Poe.Simulator;
using Poe.Simulator.Auth;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Watches;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>SPEC §3: <c>Polling:MaxWatchDuration</c> ends every watch — as <c>unauthorized</c> when Poe rejects its key, else <c>timed_out</c>.</summary>
public sealed class WatchLifetimeTests(WatchLifetimeTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<WatchLifetimeTests.Fixture>
{
    /// <summary>Studio's own Poe key, which the simulator does not accept.</summary>
    public const string RejectedKey = "poe_rejected_key_9876543210";

    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(5);
    private readonly InProcessSimulator _poe = fixture.Poe;
    private readonly PollingBridge _bridge = fixture.Bridge;

    [Fact]
    public async Task A_rejected_key_pauses_its_polling_and_makes_the_bridge_unready_and_its_watches_fail_as_unauthorized_only_after_the_max_duration()
    {
        _poe.CreateNeverEnding("video_rejected");
        var rejectedKeyId = ApiKeys.KeyId(RejectedKey);

        var id = await PollingBridge.WatchAsync(_bridge.Studio, "video_rejected");
        await Eventually.TrueAsync(() => Task.FromResult(_poe.Requests.Since().Any(r => r.KeyId == rejectedKeyId)), TimeSpan.FromSeconds(5), "a 401");

        using var anonymous = _bridge.Instances[0].CreateClient();
        // Poe logs the request before the bridge has stored its 401.
        await Eventually.TrueAsync(async () =>
        {
            using var probe = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return probe.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(5), "/health/ready to turn 503 after the 401");
        using (var ready = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            var report = await ready.ReadJsonAsync();
            output.WriteLine($"/health/ready: {(int)ready.StatusCode} {report}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("poe_key").GetProperty("status").GetString());
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(WatchStatus.Active, (await _bridge.ReadWatchAsync(id)).Status);

        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(15));

        var requests = _poe.Requests.Since().Where(r => r.KeyId == rejectedKeyId).ToList();
        var key = await _bridge.Database.QueryAsync(db => db.PoeKeys.AsNoTracking().SingleAsync(k => k.UnauthorizedSince != null));
        var logged = fixture.Logs.Entries
            .Where(e => e.Category.StartsWith("Poe.WebhookBridge.Polling", StringComparison.Ordinal) && e.Level >= LogLevel.Error && e.Message.Contains(key.Id, StringComparison.Ordinal))
            .ToList();
        output.WriteLine($"{requests.Count} request(s) with the rejected key; held until +{(key.HoldUntil - DateTimeOffset.FromUnixTimeMilliseconds(requests[0].AtMs)).TotalSeconds:F1} s; "
            + $"failed {(watch.EndedAt!.Value - watch.CreatedAt).TotalSeconds:F1} s after registration; logged: {string.Join(" | ", logged.Select(l => l.Message))}");
        Assert.Equal(WatchStatus.Failed, watch.Status);
        Assert.Equal("unauthorized", watch.FailureReason);
        Assert.InRange(watch.EndedAt!.Value - watch.CreatedAt, MaxDuration, MaxDuration + TimeSpan.FromSeconds(2));
        var failed = Assert.Single(await _bridge.EventsOfAsync(id));
        Assert.Equal("watch.failed", failed.Type);
        using (var payload = JsonDocument.Parse(failed.Payload))
        {
            Assert.Equal("unauthorized", payload.RootElement.GetProperty("watch").GetProperty("failure").GetProperty("reason").GetString());
        }

        // Probed once, not again for a minute: one request, and the key held a minute past it.
        Assert.Equal(401, Assert.Single(requests).Status);
        Assert.True(key.HoldUntil >= DateTimeOffset.FromUnixTimeMilliseconds(requests[0].AtMs).AddSeconds(59), $"key held only until {key.HoldUntil:O}");
        Assert.Single(logged);
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Message.Contains(RejectedKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_watch_still_not_terminal_after_the_max_duration_fails_as_timed_out_and_is_no_longer_polled()
    {
        _poe.CreateNeverEnding("video_endless");

        var id = await PollingBridge.WatchAsync(_bridge.Shop, "video_endless");
        var watch = await _bridge.EndedAsync(id, TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var requests = _poe.RequestsFor("video_endless");
        output.WriteLine($"failed {(watch.EndedAt!.Value - watch.CreatedAt).TotalSeconds:F1} s after registration, after {requests.Count} polls");
        Assert.Equal(WatchStatus.Failed, watch.Status);
        Assert.Equal("timed_out", watch.FailureReason);
        Assert.InRange(watch.EndedAt!.Value - watch.CreatedAt, MaxDuration, MaxDuration + TimeSpan.FromSeconds(2));
        // The polls its video's target counted are its own once it ended: about one a second for 5 s.
        Assert.InRange(watch.PollCount, 3, requests.Count);
        Assert.NotNull(watch.LastPolledAt);
        var failed = Assert.Single(await _bridge.EventsOfAsync(id));
        Assert.Equal("watch.failed", failed.Type);
        using (var payload = JsonDocument.Parse(failed.Payload))
        {
            Assert.Equal("timed_out", payload.RootElement.GetProperty("watch").GetProperty("failure").GetProperty("reason").GetString());
            // The last video object seen goes with it.
            Assert.Equal("in_progress", payload.RootElement.GetProperty("data").GetProperty("status").GetString());
        }

        // A poll claimed just before the watch ended may still arrive; none is claimed after.
        Assert.DoesNotContain(requests, r => r.AtMs > watch.EndedAt!.Value.AddSeconds(1.2).ToUnixTimeMilliseconds());
    }

    public sealed class Fixture : SimulatedPoeFixture
    {
        public CapturedLogs Logs { get; } = new();

        protected override (string Key, string? Value)[] Settings =>
            [("Polling:MaxWatchDuration", "00:00:05"), ("Clients:studio:PoeApiKey", RejectedKey)];

        protected override void ConfigureSimulator(SimulatorOptions options) => options.ApiKeys = [PollingBridge.DefaultPoeKey];

        protected override void ConfigureBridge(IWebHostBuilder builder) => builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}
