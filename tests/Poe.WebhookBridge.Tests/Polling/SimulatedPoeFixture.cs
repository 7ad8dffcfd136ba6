using Microsoft.AspNetCore.Hosting;
using Poe.Simulator;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>
/// A Poe simulator and a bridge polling it, shared by the tests of one class (xunit class fixture) when what they
/// check does not depend on the other tests' Poe-key state. Tests use their own video ids.
/// </summary>
public abstract class SimulatedPoeFixture : IAsyncLifetime
{
    public InProcessSimulator Poe { get; private set; } = null!;

    public PollingBridge Bridge { get; private set; } = null!;

    protected virtual (string Key, string? Value)[] Settings => [];

    protected virtual void ConfigureSimulator(SimulatorOptions options)
    {
    }

    protected virtual void ConfigureBridge(IWebHostBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        Poe = await InProcessSimulator.StartAsync(ConfigureSimulator);
        Bridge = await PollingBridge.CreateAsync(Poe.BaseUrl, Settings);
        Bridge.StartInstance(ConfigureBridge);
        await WarmUpAsync();
    }

    public async Task DisposeAsync()
    {
        await Bridge.DisposeAsync();
        await Poe.DisposeAsync();
    }

    /// <summary>One watch polled to its end, so timings measured by the tests are not those of a cold process.</summary>
    private async Task WarmUpAsync()
    {
        Poe.Create("video_warm_up", running: TimeSpan.Zero);
        var id = await PollingBridge.WatchAsync(Bridge.Shop, "video_warm_up");
        await Bridge.EndedAsync(id, TimeSpan.FromSeconds(20));
    }
}
