using System.Globalization;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Npgsql;
using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Endpoints;

/// <summary>
/// The dashboard's "Disabled endpoints" page: which clients' endpoints are disabled, since when, and how many events
/// each holds, so an operator sees why webhooks stopped. Served by the dashboard itself (its layout, no other assets).
/// </summary>
internal sealed class DisabledEndpointsPage : RazorPage
{
    public const string Path = "/endpoints/disabled";
    public const string Title = "Disabled endpoints";

    private const string Sql = $"""
        SELECT p.client_name, p.url, p.failing_since, p.disabled_at,
            (SELECT count(*) FROM bridge.webhook_events e WHERE e.client_name = p.client_name AND e.callback_origin = p.url AND e.status = '{DeliveryStatus.Held}')
        FROM bridge.endpoints p WHERE p.status = '{EndpointStatus.Disabled}'
        ORDER BY p.disabled_at, p.client_name, p.url
        """;

    public override void Execute()
    {
        Layout = new LayoutPage(Title);
        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Disabled endpoints</h1>");
        WriteLiteral("<p>Every attempt to these endpoints failed for <code>Webhooks:DisableEndpointAfter</code>. Nothing is sent to them; "
            + "their events are held, not dropped. The client resumes one with <code>POST /v1/endpoints/{id}/enable</code>.</p>");
        var rows = Read();
        if (rows.Count == 0)
        {
            WriteLiteral("<div class=\"alert alert-success\">No endpoint is disabled.</div></div></div>");
            return;
        }

        WriteLiteral("<table class=\"table\"><thead><tr><th>Client</th><th>Endpoint</th><th>Failing since</th><th>Disabled at</th><th>Held events</th></tr></thead><tbody>");
        foreach (var row in rows)
        {
            WriteLiteral("<tr>");
            foreach (var cell in row)
            {
                WriteLiteral("<td>");
                Write(cell);
                WriteLiteral("</td>");
            }

            WriteLiteral("</tr>");
        }

        WriteLiteral("</tbody></table></div></div>");
    }

    private List<string[]> Read()
    {
        // Dashboard pages render synchronously, as Hangfire's own do with their storage reads.
        var dataSource = Context.GetHttpContext().RequestServices.GetRequiredService<NpgsqlDataSource>();
        using var command = dataSource.CreateCommand(Sql);
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add([
                reader.GetString(0), reader.GetString(1), Timestamp(reader, 2), Timestamp(reader, 3),
                reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            ]);
        }

        return rows;
    }

    private static string Timestamp(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? "" : reader.GetFieldValue<DateTimeOffset>(ordinal).ToString("u", CultureInfo.InvariantCulture);

    /// <summary>Adds the page and its navigation link; Hangfire's routes and menu are process-wide, so call it once.</summary>
    public static void Register()
    {
        DashboardRoutes.Routes.AddRazorPage(Path, _ => new DisabledEndpointsPage());
        NavigationMenu.Items.Add(page => new MenuItem(Title, page.Url.To(Path)) { Active = page.RequestPath.StartsWith(Path, StringComparison.Ordinal) });
    }
}
