using System.Net;
using System.Net.Sockets;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>The configuration a test bridge starts with: permissive for local callbacks, fast polling, no reachable Poe.</summary>
public static class BridgeSettings
{
    public static Dictionary<string, string?> For(string connectionString, params TestClient[] clients)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Poe:ApiKey"] = "poe_test_key_0123456789",
            ["Poe:BaseUrl"] = $"http://127.0.0.1:{UnusedLoopbackPort()}",
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Polling:Interval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in clients.SelectMany(c => c.Settings()))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A loopback port nothing listens on (bound and released), so polls fail fast with a refused connection.</summary>
    public static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
