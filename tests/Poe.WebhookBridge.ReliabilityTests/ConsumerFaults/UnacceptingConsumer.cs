using System.Net;
using System.Net.Sockets;

namespace Poe.WebhookBridge.ReliabilityTests.ConsumerFaults;

/// <summary>
/// A consumer whose server is wedged: the port listens but nothing accepts, and its accept queue is already full, so
/// the kernel drops the bridge's SYNs and its connects hang (as a stuck process or a full backlog does in production).
/// </summary>
public sealed class UnacceptingConsumer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _queued = [];

    private UnacceptingConsumer(IPAddress address)
    {
        _listener.Bind(new IPEndPoint(address, 0));
        _listener.Listen(0);
        var bound = (IPEndPoint)_listener.LocalEndPoint!;
        Url = $"http://{bound.Address}:{bound.Port}/hooks/poe";
    }

    public string Url { get; }

    /// <summary>Connections that filled the accept queue before a connect stopped completing.</summary>
    public int Queued => _queued.Count;

    public static async Task<UnacceptingConsumer> StartAsync(IPAddress address)
    {
        var consumer = new UnacceptingConsumer(address);
        var endpoint = (IPEndPoint)consumer._listener.LocalEndPoint!;
        // Fill the queue until a connect no longer completes: from then on every SYN to the port is dropped.
        for (var i = 0; i < 64; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                await socket.ConnectAsync(endpoint, wait.Token);
                consumer._queued.Add(socket);
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                return consumer;
            }
        }

        consumer.Dispose();
        throw new InvalidOperationException("The kernel kept accepting connections into a listen(0) queue: no wedged consumer here.");
    }

    public void Dispose()
    {
        foreach (var socket in _queued)
        {
            socket.Dispose();
        }

        _listener.Dispose();
    }
}
