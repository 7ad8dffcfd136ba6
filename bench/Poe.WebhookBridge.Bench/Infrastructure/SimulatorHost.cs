using Poe.Simulator;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;

namespace Poe.WebhookBridge.Bench.Infrastructure;

/// <summary>The Poe simulator in this process, on a loopback port.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app)
    {
        _app = app;
        Url = new Uri(app.Urls.First());
    }

    public Uri Url { get; }

    public VideoStore Videos => _app.Services.GetRequiredService<VideoStore>();

    public RequestLog Requests => _app.Services.GetRequiredService<RequestLog>();

    public static async Task<SimulatorHost> StartAsync(int requestsPerMinute)
    {
        var app = SimulatorApp.Build(
            [$"--urls=http://127.0.0.1:{BridgeProcess.FreePort()}", "--Logging:LogLevel:Default=Warning"],
            options => options.RequestsPerMinute = requestsPerMinute);
        await app.StartAsync();
        return new SimulatorHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
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
