using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Operations;

internal static class DashboardSetup
{
    public const string Path = "/hangfire";

    public static IEndpointRouteBuilder MapBridgeDashboard(this IEndpointRouteBuilder app)
    {
        var credentials = app.ServiceProvider.GetRequiredService<IOptions<DashboardOptions>>().Value;
        app.MapHangfireDashboard(Path, new Hangfire.DashboardOptions
        {
            // Replaces Hangfire's LocalRequestsOnly filter, which also admits any request from the host's own IP.
            Authorization = [new DashboardAccessFilter(credentials)],
            DashboardTitle = "Poe Webhook Bridge — background work",
            AppPath = "/docs",
            DisplayStorageConnectionString = false,
        });
        return app;
    }
}

/// <summary>HTTP Basic with <c>Dashboard:*</c> (constant-time compare), or loopback requests only when none are set.</summary>
internal sealed class DashboardAccessFilter(DashboardOptions credentials) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!credentials.HasCredentials)
        {
            return http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);
        }

        if (PresentedCredentialsMatch(http.Request.Headers.Authorization.ToString()))
        {
            return true;
        }

        http.Response.Headers.WWWAuthenticate = "Basic realm=\"Poe Webhook Bridge dashboard\", charset=\"UTF-8\"";
        return false;
    }

    private bool PresentedCredentialsMatch(string header)
    {
        const string prefix = "Basic ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[prefix.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        return CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(Encoding.UTF8.GetBytes(decoded)));
    }
}
