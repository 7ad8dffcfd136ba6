using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>A bridge on its own database with dashboard credentials configured.</summary>
public sealed class DashboardBridge : IAsyncLifetime
{
    public const string Username = "operator";

    private string? _connectionString;

    public string Password { get; } = $"dash_{Guid.NewGuid():N}";

    public TestClient Shop { get; } = TestClient.Generate("shop");

    public BridgeFactory Bridge { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("dashboard");
        var settings = BridgeSettings.For(_connectionString, Shop);
        settings["Dashboard:Username"] = Username;
        settings["Dashboard:Password"] = Password;
        Bridge = BridgeFactory.FromSettings(settings);
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
