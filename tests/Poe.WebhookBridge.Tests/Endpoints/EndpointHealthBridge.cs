using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Endpoints;

/// <summary>
/// A bridge alone on its own database that disables an endpoint after <see cref="DisableAfter"/> of failures. Its
/// retry schedule waits <see cref="FirstRetry"/> (longer than that period) before the second attempt, then
/// <see cref="RetryStep"/>s, so a test can see an endpoint outlive the period on a single failed attempt.
/// </summary>
public sealed class EndpointHealthBridge : IAsyncLifetime
{
    public static readonly TimeSpan DisableAfter = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan RetryStep = TimeSpan.FromMilliseconds(500);

    private string? _connectionString;

    public BridgeFactory Bridge { get; private set; } = null!;

    public TestClient Shop { get; } = TestClient.Generate("shop");

    public TestClient Studio { get; } = TestClient.Generate("studio");

    public CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("endpoints");
        var settings = BridgeSettings.For(_connectionString, Shop, Studio);
        settings["Webhooks:Timeout"] = "00:00:02";
        settings["Webhooks:DisableEndpointAfter"] = DisableAfter.ToString();
        DeliveryBridge.UseShortSchedule(settings, RetryStep);
        settings["Webhooks:RetrySchedule:0"] = FirstRetry.ToString();
        Bridge = BridgeFactory.FromSettings(settings, web => web.ConfigureLogging(logging => logging.AddProvider(Logs)));
        _ = Bridge.Services;
    }

    public async Task DisposeAsync()
    {
        await Bridge.DisposeAsync();
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EndpointHealthCollectionDefinition : ICollectionFixture<EndpointHealthBridge>
{
    public const string Name = "endpoint-health";
}
