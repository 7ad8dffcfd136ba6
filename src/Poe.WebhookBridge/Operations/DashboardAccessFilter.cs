using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;

namespace Poe.WebhookBridge.Operations;

/// <summary>
/// HTTP Basic with <c>Dashboard:*</c> (constant-time compare), or loopback requests only when none are set. A refusal
/// carries the Basic challenge; Hangfire then answers 401, as the request has no authenticated ASP.NET Core user.
/// </summary>
internal sealed class DashboardAccessFilter(DashboardOptions credentials) : IDashboardAuthorizationFilter
{
    public const string Challenge = "Basic realm=\"Poe Webhook Bridge dashboard\", charset=\"UTF-8\"";

    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!credentials.HasCredentials)
        {
            // Behind Kestrel's dual-mode socket (ASPNETCORE_URLS=http://+:8080) an IPv4 peer shows as ::ffff:a.b.c.d.
            return http.Connection.RemoteIpAddress is { } remote
                && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
        }

        if (PresentedCredentialsMatch(http.Request.Headers.Authorization.ToString()))
        {
            return true;
        }

        http.Response.Headers.WWWAuthenticate = Challenge;
        return false;
    }

    private bool PresentedCredentialsMatch(string header)
    {
        const string prefix = "Basic ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(header[prefix.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        // Hashing both sides gives equal lengths, so the comparison time says nothing about the secret's length either.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        return CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(presented));
    }
}
