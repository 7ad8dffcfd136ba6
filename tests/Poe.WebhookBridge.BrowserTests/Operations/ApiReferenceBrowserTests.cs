using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.BrowserTests.Operations;

/// <summary>SPEC §9 in a real browser: <c>/docs</c> renders the API reference, the outgoing webhooks included, from the bridge alone.</summary>
public sealed class ApiReferenceBrowserTests(DashboardSite site, ITestOutputHelper output) : IClassFixture<DashboardSite>
{
    [Fact]
    public async Task The_docs_page_shows_the_webhooks_the_bridge_sends_without_loading_anything_from_another_host()
    {
        await using var context = await site.NewContextAsync(username: null, password: null);
        var page = await context.NewPageAsync();
        var otherHosts = new List<string>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url) is { Scheme: "http" or "https" } url && url.Authority != site.BaseUrl.Authority)
            {
                otherHosts.Add(request.Url);
            }
        };

        var response = await page.GotoAsync("docs");

        Assert.Equal(200, response!.Status);
        var webhooks = page.GetByText("Webhooks", new() { Exact = true }).First;
        await Assertions.Expect(webhooks).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await webhooks.ClickAsync();
        foreach (var type in new[] { "video.completed", "video.failed", "video.progress", "watch.failed" })
        {
            await Assertions.Expect(page.GetByText(type, new() { Exact = false }).First).ToBeVisibleAsync();
        }

        var screenshot = Path.Combine(Path.GetTempPath(), $"bridge-docs-{Guid.NewGuid():N}.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = false });
        output.WriteLine($"Screenshot of /docs: {screenshot}");
        Assert.Empty(otherHosts);
    }
}
