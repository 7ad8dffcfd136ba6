using System.Net.Sockets;

namespace Poe.WebhookBridge.Delivery;

/// <summary>
/// The connect-time half of the SSRF defence: resolves the callback host itself, refuses non-public addresses, and
/// connects to exactly the addresses it vetted, so a DNS answer that changed since registration (rebinding) cannot
/// steer a webhook into the private network.
/// </summary>
public sealed class CallbackConnector(CallbackAddressGuard guard)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var (addresses, refusal) = await guard.ResolveAsync(endpoint.Host, cancellationToken);
        if (refusal is not null)
        {
            throw new CallbackRefusedException(refusal);
        }

        // A dual-mode socket reaches IPv4 and IPv6 alike; mapped addresses go back to IPv4, the form that was vetted.
        var targets = addresses.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToArray();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(targets, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
