using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Delivery.Recovery;
using Poe.WebhookBridge.Endpoints;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Operations;

internal static class DashboardSetup
{
    public const string Path = "/hangfire";
    public const string Title = "Poe Webhook Bridge — background work";

    private static readonly Dictionary<Type, string> JobNames = new()
    {
        [typeof(PollTickJob)] = "Poll due videos on Poe",
        [typeof(DeliveryTickJob)] = "Deliver due webhooks",
        [typeof(RetentionJob)] = "Purge ended watches past Retention:Period",
        [typeof(DeadWebhookJob)] = "Dead webhook (requeue to redeliver)",
        [typeof(RecoveryJob)] = "Recover a client's dead webhooks of a time range",
    };

    private static readonly Lock MenuLock = new();
    private static bool s_menuExtended;

    public static WebApplicationBuilder AddBridgeDashboard(this WebApplicationBuilder builder)
    {
        // Browsers resend Basic credentials on any request to the host, cross-site ones included: with antiforgery
        // registered, Hangfire checks a token on every dashboard POST (trigger, delete, requeue), and its own pages
        // send that token, so the operator's buttons work and a forged form does not.
        builder.Services.AddAntiforgery();
        // Tokens are protected with keys kept in PostgreSQL, so a page served by one instance posts to any other.
        builder.Services.AddDataProtection().SetApplicationName("Poe.WebhookBridge").PersistKeysToDbContext<BridgeDbContext>();
        return builder;
    }

    public static IEndpointRouteBuilder MapBridgeDashboard(this IEndpointRouteBuilder app)
    {
        var credentials = app.ServiceProvider.GetRequiredService<IOptions<DashboardOptions>>().Value;
        ExtendNavigationMenu();
        app.MapHangfireDashboard(Path, new Hangfire.DashboardOptions
        {
            // Replaces Hangfire's LocalRequestsOnly filter, which also admits any request from the host's own IP.
            Authorization = [new DashboardAccessFilter(credentials)],
            DashboardTitle = Title,
            AppPath = "/docs",
            DisplayStorageConnectionString = false,
            DisplayNameFunc = DisplayName,
        });
        return app;
    }

    private static string DisplayName(DashboardContext context, Job job) =>
        JobNames.TryGetValue(job.Type, out var name) ? name : $"{job.Type.Name}.{job.Method.Name}";

    /// <summary>Hangfire's navigation menu is process-wide, so the links are added once however many apps map a dashboard.</summary>
    private static void ExtendNavigationMenu()
    {
        lock (MenuLock)
        {
            if (s_menuExtended)
            {
                return;
            }

            NavigationMenu.Items.Add(_ => new MenuItem("API reference", "/docs"));
            NavigationMenu.Items.Add(_ => new MenuItem("Metrics", "/metrics"));
            DisabledEndpointsPage.Register();
            s_menuExtended = true;
        }
    }
}
