namespace Poe.WebhookBridge.Tests.Support;

/// <summary>A test on the shared bridge: the database is emptied before each test; clients for both configured apps.</summary>
[Collection(BridgeFixture.Name)]
public abstract class BridgeTest(BridgeFactory bridge) : IAsyncLifetime
{
    protected BridgeFactory Bridge { get; } = bridge;

    protected BridgeDatabase Database => Bridge.Database;

    protected HttpClient Shop { get; } = bridge.ClientFor(bridge.Shop);

    protected HttpClient Studio { get; } = bridge.ClientFor(bridge.Studio);

    public virtual Task InitializeAsync() => Database.ResetAsync();

    public virtual Task DisposeAsync()
    {
        Shop.Dispose();
        Studio.Dispose();
        Bridge.Contract.AssertNone();
        return Task.CompletedTask;
    }
}
