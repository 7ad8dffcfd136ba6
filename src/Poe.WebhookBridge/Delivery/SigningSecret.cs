using System.Diagnostics.CodeAnalysis;

namespace Poe.WebhookBridge.Delivery;

/// <summary>A Standard Webhooks secret: <c>whsec_</c> + base64 of 24–64 random bytes.</summary>
public static class SigningSecret
{
    public const string FormatRule = "must be 'whsec_' followed by the base64 of 24 to 64 random bytes.";
    private const string Prefix = "whsec_";

    public static bool TryParse(string? secret, [NotNullWhen(true)] out byte[]? key)
    {
        key = null;
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = secret[Prefix.Length..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length) || length is < 24 or > 64)
        {
            return false;
        }

        key = buffer[..length];
        return true;
    }
}
