using Poe.Simulator;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Polling;

namespace Poe.WebhookBridge.Tests.Gateway;

/// <summary>The Poe simulator, a bridge in front of it and a consumer endpoint: the whole gateway over real sockets.</summary>
public sealed class GatewaySimulator : SimulatedPoeFixture, IAsyncLifetime
{
    public WebhookReceiver Receiver { get; private set; } = null!;

    protected override void ConfigureSimulator(SimulatorOptions options)
    {
        // Created videos take a second, so a test sees them queued, then completed, soon.
        options.DefaultQueuedTime = TimeSpan.Zero;
        options.DefaultRunningTime = TimeSpan.FromSeconds(1);
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
