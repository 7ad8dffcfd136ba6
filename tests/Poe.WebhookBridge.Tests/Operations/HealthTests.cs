using System.Net;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

public sealed class HealthTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task Live_answers_200_without_a_client_key()
    {
        using var anonymous = Bridge.ClientFor(apiKey: null);

        using var response = await anonymous.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_answers_200_and_names_each_check()
    {
        var report = await Bridge.WaitUntilReadyAsync();

        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        foreach (var name in new[] { "database", "hangfire", "poe_key" })
        {
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());
        }
    }
}
