using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Delivery;

/// <summary>Resolves a callback host and refuses it when any address is not public (unless private networks are allowed).</summary>
public sealed class CallbackAddressGuard(IOptions<WebhooksOptions> options)
{
    public bool AllowsPrivateNetworks => options.Value.AllowPrivateNetworks;

    /// <summary>The addresses to connect to, or an explanation of why the host is refused.</summary>
    public async Task<(IPAddress[] Addresses, string? Refusal)> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                return ([], $"the host '{host}' could not be resolved.");
            }
        }

        if (addresses.Length == 0)
        {
            return ([], $"the host '{host}' has no address.");
        }

        if (!AllowsPrivateNetworks && addresses.FirstOrDefault(a => !NetworkPolicy.IsPublic(a)) is { } blocked)
        {
            return ([], $"the host '{host}' resolves to a non-public address ({blocked}); private networks are not allowed.");
        }

        return (addresses, null);
    }
}
