using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Poe.Simulator;
using Poe.Simulator.Faults;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>The Poe simulator in this test process on a loopback port; the bridge processes poll it over real sockets.</summary>
public sealed class Simulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Simulator(WebApplication app)
    {
        _app = app;
        BaseUrl = new Uri(app.Urls.First());
    }

    public Uri BaseUrl { get; }

    /// <summary>Every poll it answered (status 0: a connection it cut), on the real clock in Unix ms.</summary>
    public IReadOnlyList<RequestLogEntry> Requests => _app.Services.GetRequiredService<RequestLog>().Since();

    public static async Task<Simulator> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var app = SimulatorApp.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], configure);
        await app.StartAsync();
        return new Simulator(app);
    }

    public void Create(string id, TimeSpan queued, TimeSpan running, VideoOutcome outcome, params Fault[] faults) =>
        _app.Services.GetRequiredService<VideoStore>().Create(new VideoSpec
        {
            Id = id,
            QueuedTime = queued,
            RunningTime = running,
            Outcome = outcome,
            Curve = ProgressCurveKind.Linear,
            Faults = faults,
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
