using System.Net;
using System.Net.Sockets;

namespace Poe.WebhookBridge.ReliabilityTests.ConsumerFaults;

/// <summary>
/// A consumer whose server dies mid-request: it accepts the connection, reads the start of the request, then closes
/// with linger 0, so the bridge gets a TCP RST instead of a response.
/// </summary>
public sealed class ResettingConsumer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _accepting;
    private int _resets;

    public ResettingConsumer(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        var bound = (IPEndPoint)_listener.LocalEndpoint;
        Url = $"http://{bound.Address}:{bound.Port}/hooks/poe";
        _accepting = AcceptAsync();
    }

    public string Url { get; }

    /// <summary>Requests cut off after their first bytes arrived.</summary>
    public int Resets => Volatile.Read(ref _resets);

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _listener.Stop();
        await _accepting;
        _closing.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_closing.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ResetAsync(socket);
        }
    }

    private async Task ResetAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                // The request line and some headers: the bridge is mid-request when the connection goes.
                await socket.ReceiveAsync(new byte[64], SocketFlags.None, _closing.Token);
                socket.LingerState = new LingerOption(true, 0);
                Interlocked.Increment(ref _resets);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
        }
    }
}
