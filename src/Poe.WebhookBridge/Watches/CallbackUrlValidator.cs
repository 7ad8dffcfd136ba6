using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Watches;

/// <summary>The registration-time half of the SSRF defence; the connect-time half re-checks the resolved address.</summary>
internal sealed class CallbackUrlValidator(IOptions<WebhooksOptions> options, CallbackAddressGuard guard)
{
    public async Task<string?> ValidateAsync(string callbackUrl, CancellationToken cancellationToken)
    {
        if (callbackUrl.Length > CreateWatchRequestReader.MaxCallbackUrlLength)
        {
            return $"Must be at most {CreateWatchRequestReader.MaxCallbackUrlLength} characters.";
        }

        if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return "Must be an absolute URL.";
        }

        var httpAllowed = options.Value.AllowHttp && uri.Scheme == Uri.UriSchemeHttp;
        if (uri.Scheme != Uri.UriSchemeHttps && !httpAllowed)
        {
            return options.Value.AllowHttp ? "Must be an http or https URL." : "Must be an https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not contain user information.";
        }

        if (guard.AllowsPrivateNetworks)
        {
            return null;
        }

        var (_, refusal) = await guard.ResolveAsync(uri.IdnHost, cancellationToken);
        return refusal is null ? null : "Refused: " + refusal;
    }
}
