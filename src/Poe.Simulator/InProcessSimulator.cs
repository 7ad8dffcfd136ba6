using Poe.Simulator.Faults;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;

namespace Poe.Simulator;

/// <summary>
/// The simulator started inside a test or benchmark process on a free loopback port, on the real clock (so its request
/// log and the caller's timestamps compare directly). Videos are created through <see cref="Videos"/>.
/// </summary>
public sealed class InProcessSimulator : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;

    private InProcessSimulator(WebApplication app)
    {
        _app = app;
        BaseUrl = new Uri(app.Urls.First());
    }

    public Uri BaseUrl { get; }

    public VideoStore Videos => _app.Services.GetRequiredService<VideoStore>();

    public RequestLog Requests => _app.Services.GetRequiredService<RequestLog>();

    public static async Task<InProcessSimulator> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var app = SimulatorApp.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], configure);
        await app.StartAsync();
        return new InProcessSimulator(app);
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

    /// <summary>The requests about one video, in the order they arrived.</summary>
    public IReadOnlyList<RequestLogEntry> RequestsFor(string videoId) => [.. Requests.Since().Where(r => r.VideoId == videoId).OrderBy(r => r.AtMs)];

    public async ValueTask DisposeAsync()
    {
        // A caller still holding connections open must not keep the process from moving on.
        using var stop = new CancellationTokenSource(StopTimeout);
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
