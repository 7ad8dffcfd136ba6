using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Poe.Simulator;
using Poe.Simulator.Faults;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>
/// The bundled Poe simulator started in-process on a loopback port, on the real clock (so its request log and the
/// bridge's timestamps compare directly). Videos are created through its <see cref="VideoStore"/>.
/// </summary>
public sealed class PoeSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PoeSimulator(WebApplication app)
    {
        _app = app;
        BaseUrl = new Uri(app.Urls.First());
    }

    public Uri BaseUrl { get; }

    public VideoStore Videos => _app.Services.GetRequiredService<VideoStore>();

    public RequestLog Requests => _app.Services.GetRequiredService<RequestLog>();

    public static async Task<PoeSimulator> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var app = SimulatorApp.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], configure);
        await app.StartAsync();
        return new PoeSimulator(app);
    }

    /// <summary>A video starting now that stays queued, then runs, then ends with <paramref name="outcome"/>; faults are answered first, one per poll.</summary>
    public SimulatedVideo Create(
        string id, TimeSpan running, TimeSpan queued = default, VideoOutcome outcome = VideoOutcome.Completed, params Fault[] faults) =>
        Videos.Create(new VideoSpec
        {
            Id = id,
            QueuedTime = queued,
            RunningTime = running,
            Outcome = outcome,
            Curve = ProgressCurveKind.Linear,
            Faults = faults,
        });

    /// <summary>A video that never ends within a test.</summary>
    public SimulatedVideo CreateNeverEnding(string id) => Create(id, running: TimeSpan.FromDays(1));

    public IReadOnlyList<RequestLogEntry> RequestsFor(string videoId) => [.. Requests.Since().Where(r => r.VideoId == videoId).OrderBy(r => r.AtMs)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
