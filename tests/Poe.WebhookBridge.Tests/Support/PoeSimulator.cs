using Poe.Simulator;
using Poe.Simulator.Faults;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>The bundled Poe simulator in this process (<see cref="InProcessSimulator"/>), with the shapes of video tests ask for.</summary>
public sealed class PoeSimulator : IAsyncDisposable
{
    private readonly InProcessSimulator _simulator;

    private PoeSimulator(InProcessSimulator simulator) => _simulator = simulator;

    public Uri BaseUrl => _simulator.BaseUrl;

    public VideoStore Videos => _simulator.Videos;

    public RequestLog Requests => _simulator.Requests;

    public static async Task<PoeSimulator> StartAsync(Action<SimulatorOptions>? configure = null) =>
        new(await InProcessSimulator.StartAsync(configure));

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

    public ValueTask DisposeAsync() => _simulator.DisposeAsync();
}
