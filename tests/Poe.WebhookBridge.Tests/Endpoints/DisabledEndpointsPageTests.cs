using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Endpoints;
using Poe.WebhookBridge.Tests.Operations;

namespace Poe.WebhookBridge.Tests.Endpoints;

/// <summary>An operator finds a disabled endpoint from the dashboard's navigation.</summary>
public sealed class DisabledEndpointsPageTests(DashboardBridge fixture) : IClassFixture<DashboardBridge>
{
    [Fact]
    public async Task The_dashboard_links_to_a_page_listing_each_disabled_endpoint()
    {
        await fixture.Bridge.Database.QueryAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO bridge.endpoints (id, client_name, url, status, failing_since, failed_attempts, disabled_at, created_at)
            VALUES ('ep_page_test', 'shop', 'https://down.example:443', 'disabled', now() - interval '6 days', 40, now(), now())
            ON CONFLICT DO NOTHING
            """));
        using var client = fixture.Bridge.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DashboardBridge.Username}:{fixture.Password}")));

        var home = await client.GetStringAsync(new Uri("/hangfire/recurring", UriKind.Relative));
        var page = await client.GetStringAsync(new Uri("/hangfire" + DisabledEndpointsPage.Path, UriKind.Relative));

        Assert.Contains($"href=\"/hangfire{DisabledEndpointsPage.Path}\"", home, StringComparison.Ordinal);
        Assert.Contains(DisabledEndpointsPage.Title, page, StringComparison.Ordinal);
        Assert.Contains("<td>shop</td><td>https://down.example:443</td>", page, StringComparison.Ordinal);
    }
}
