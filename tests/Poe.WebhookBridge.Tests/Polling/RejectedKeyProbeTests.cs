using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Poe.Simulator;
using Poe.Simulator.Auth;
using Poe.WebhookBridge.Tests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>SPEC §3, 401: polling with a rejected key pauses, re-probed at most once a minute, the error logged once per minute.</summary>
public sealed class RejectedKeyProbeTests(RejectedKeyProbeTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<RejectedKeyProbeTests.Fixture>
{
    private const string RejectedKey = "poe_rejected_key_probe_1234";

    [Fact]
    public async Task A_rejected_key_is_re_probed_with_one_request_however_many_of_its_videos_wait()
    {
        var poe = fixture.Poe;
        var rejectedKeyId = ApiKeys.KeyId(RejectedKey);
        string[] videos = ["video_probe_1", "video_probe_2", "video_probe_3"];
        foreach (var video in videos)
        {
            poe.CreateNeverEnding(video);
            await PollingBridge.WatchAsync(fixture.Bridge.Studio, video);
        }

        await Eventually.TrueAsync(() => Task.FromResult(poe.Requests.Since().Any(r => r.KeyId == rejectedKeyId)), TimeSpan.FromSeconds(5), "a 401");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var first = poe.Requests.Since().Count(r => r.KeyId == rejectedKeyId);

        // A minute later (the key's pause moved to now in the database), all three videos are due with the rejected key.
        var probeAt = DateTimeOffset.UtcNow;
        await using (var connection = new NpgsqlConnection(fixture.Bridge.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE bridge.poe_keys SET hold_until = now() WHERE unauthorized_since IS NOT NULL", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var probes = poe.Requests.Since(probeAt.ToUnixTimeMilliseconds()).Where(r => r.KeyId == rejectedKeyId).ToList();
        var key = await fixture.Bridge.Database.QueryAsync(db => db.PoeKeys.AsNoTracking().SingleAsync(k => k.UnauthorizedSince != null));
        output.WriteLine($"{first} request(s) with the rejected key at first; {probes.Count} at the re-probe; held again until +{(key.HoldUntil - probeAt).TotalSeconds:F0} s");
        Assert.Equal(401, Assert.Single(probes).Status);
        Assert.True(key.HoldUntil >= probeAt.AddSeconds(59), $"key held only until {key.HoldUntil:O}");
    }

    [Fact]
    public async Task Once_a_probe_gets_through_the_key_s_videos_are_polled_again_at_once_and_the_rejection_was_logged_once()
    {
        await using var poe = await FakePoe.StartAsync();
        var logs = new CapturedLogs();
        await using var bridge = await PollingBridge.CreateAsync(poe.BaseUrl);
        bridge.StartInstance(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        // Both videos' first polls are out together, so both come back 401.
        var rejected = PoeAnswer.Error(401, "invalid_api_key") with { Delay = TimeSpan.FromMilliseconds(500) };
        poe.Script("video_key_a", rejected, PoeAnswer.Video("video_key_a", "in_progress", 40), PoeAnswer.Video("video_key_a", "completed", 100));
        poe.Script("video_key_b", rejected, PoeAnswer.Video("video_key_b", "in_progress", 40), PoeAnswer.Video("video_key_b", "completed", 100));
        string[] ids = [await PollingBridge.WatchAsync(bridge.Shop, "video_key_a"), await PollingBridge.WatchAsync(bridge.Shop, "video_key_b")];
        await Eventually.TrueAsync(() => Task.FromResult(poe.Requests.Count == 2), TimeSpan.FromSeconds(5), "both first polls");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, poe.Requests.Count);

        var probeAt = DateTimeOffset.UtcNow;
        await using (var connection = new NpgsqlConnection(bridge.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE bridge.poe_keys SET hold_until = now() WHERE unauthorized_since IS NOT NULL", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        foreach (var id in ids)
        {
            Assert.Equal("completed", (await bridge.EndedAsync(id, TimeSpan.FromSeconds(10))).Status);
        }

        var afterProbe = poe.Requests.Where(r => r.At >= probeAt).OrderBy(r => r.At).ToList();
        var logged = logs.Entries.Where(e => e.Category.StartsWith("Poe.WebhookBridge.Polling", StringComparison.Ordinal) && e.Level >= LogLevel.Error).ToList();
        output.WriteLine($"after the pause: {string.Join(", ", afterProbe.Select(r => $"{r.VideoId} +{(r.At - probeAt).TotalMilliseconds:F0} ms"))}; {logged.Count} error line(s)");
        using var anonymous = bridge.Instances[0].CreateClient();
        using var ready = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        // The other video went as soon as the probe's answer was in, not a minute later.
        Assert.True(afterProbe[1].At - afterProbe[0].At < TimeSpan.FromSeconds(1.5), "the second video waited after a successful probe");
        Assert.Single(logged);
    }

    public sealed class Fixture : SimulatedPoeFixture
    {
        public CapturedLogs Logs { get; } = new();

        protected override (string Key, string? Value)[] Settings => [("Clients:studio:PoeApiKey", RejectedKey)];

        protected override void ConfigureSimulator(SimulatorOptions options) => options.ApiKeys = [PollingBridge.DefaultPoeKey];

        protected override void ConfigureBridge(IWebHostBuilder builder) => builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}
