using System.Net;
using System.Net.Sockets;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 that can be made a black hole: while it is one it neither reads, writes nor closes
/// anything (new connections are accepted and left silent), as a network partition looks to both ends — no RST, no
/// FIN, just nothing. <see cref="Forward"/> lets the bytes held back through again.
/// </summary>
public sealed class BlackholeProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private volatile TaskCompletionSource _open = Opened();

    private BlackholeProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static BlackholeProxy Start(int targetPort) => new(new IPEndPoint(IPAddress.Loopback, targetPort));

    /// <summary>From now on nothing passes in either direction, and nothing is closed.</summary>
    public void Blackhole()
    {
        if (_open.Task.IsCompleted)
        {
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Forward() => _open.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Forward();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accepting;
        _stopping.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stopping.Token);
                _ = ConnectAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_sockets)
        {
            _sockets.Add(client);
            _sockets.Add(server);
        }

        try
        {
            await _open.Task.WaitAsync(_stopping.Token);
            await server.ConnectAsync(_target, _stopping.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away or the proxy stopped: the other side is closed below.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    /// <summary>Copies one direction; before every read and every write it waits while the proxy is a black hole.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await _open.Task.WaitAsync(_stopping.Token);
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                // A close is passed on like the bytes: not while the proxy is a black hole.
                await _open.Task.WaitAsync(_stopping.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed or stopped.
        }
    }
}
