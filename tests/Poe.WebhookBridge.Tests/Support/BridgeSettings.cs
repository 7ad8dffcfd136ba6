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
            ["Poe:BaseUrl"] = $"http://127.0.0.1:{RefusingLoopbackPort}",
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

    /// <summary>
    /// A loopback port that refuses every connection for the whole test run: a socket holds it bound without
    /// listening, so no server started later (a bridge, a receiver) can take it and answer what was meant to fail.
    /// </summary>
    public static int RefusingLoopbackPort => ((IPEndPoint)RefusingSocket.LocalEndPoint!).Port;

    /// <summary>A loopback port free now (bound and released), for a server about to listen on it.</summary>
    public static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Held in a static field, never closed: the port stays refused until the test process ends.
    private static readonly Socket RefusingSocket = BoundWithoutListening();

    private static Socket BoundWithoutListening()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
