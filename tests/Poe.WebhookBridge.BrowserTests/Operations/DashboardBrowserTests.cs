using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.BrowserTests.Operations;

/// <summary>SPEC §5 in a real browser: an operator logs in, sees the bridge's recurring jobs and triggers one.</summary>
public sealed partial class DashboardBrowserTests(DashboardSite site, ITestOutputHelper output) : IClassFixture<DashboardSite>
{
    private const string RetentionJobId = "bridge:purge-ended-watches";
    private static readonly string[] BridgeJobIds = ["bridge:poll-due-videos", "bridge:deliver-due-webhooks", RetentionJobId];

    [Fact]
    public async Task An_operator_with_the_credentials_sees_the_bridge_jobs_and_triggers_the_retention_job()
    {
        await using var context = await site.NewContextAsync(DashboardSite.Username, site.Password);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("hangfire/recurring");

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page).ToHaveTitleAsync(TitlePattern());
        foreach (var id in BridgeJobIds)
        {
            await Assertions.Expect(JobRow(page, id)).ToBeVisibleAsync();
        }

        await Assertions.Expect(JobRow(page, RetentionJobId)).ToContainTextAsync("Purge ended watches");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "API reference" })).ToHaveAttributeAsync("href", "/docs");
        var screenshot = Path.Combine(Path.GetTempPath(), $"bridge-dashboard-{Guid.NewGuid():N}.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"Screenshot of the recurring jobs page: {screenshot}");

        await Assertions.Expect(LastExecution(page, RetentionJobId)).ToHaveTextAsync("N/A");
        await JobRow(page, RetentionJobId).Locator("input[type=checkbox]").CheckAsync();
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Load += (_, _) => reloaded.TrySetResult();
        var trigger = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" }).ClickAsync(),
            response => response.Url.EndsWith("/hangfire/recurring/trigger", StringComparison.Ordinal));

        // Hangfire's page posted the form with its antiforgery token, and the post was accepted.
        Assert.Equal(204, trigger.Status);
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10)); // Hangfire's script reloads the page once the post is accepted.

        // The run is a job like any other: it shows up among the succeeded jobs under its name.
        await EventuallyVisibleAsync(page, "hangfire/jobs/succeeded", page.GetByText("Purge ended watches").First);
        await page.GotoAsync("hangfire/recurring");
        await Assertions.Expect(LastExecution(page, RetentionJobId)).Not.ToHaveTextAsync("N/A");
    }

    [Fact]
    public async Task Without_credentials_the_recurring_jobs_page_is_refused()
    {
        await using var context = await site.NewContextAsync(username: null, password: null);
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) => responses.Add(response);

        // Chromium has no credentials to answer the challenge with, so it gives up on the page.
        var refused = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync("hangfire/recurring"));

        Assert.Contains("ERR_INVALID_AUTH_CREDENTIALS", refused.Message, StringComparison.Ordinal);
        var response = Assert.Single(responses);
        Assert.Equal(401, response.Status);
        Assert.StartsWith("Basic ", await response.HeaderValueAsync("www-authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_wrong_password_the_recurring_jobs_page_is_refused()
    {
        await using var context = await site.NewContextAsync(DashboardSite.Username, site.Password + "-wrong");
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("hangfire/recurring");

        Assert.Equal(401, response!.Status);
    }

    /// <summary>Reloads <paramref name="path"/> until <paramref name="target"/> shows, for up to 20 s.</summary>
    private static async Task EventuallyVisibleAsync(IPage page, string path, ILocator target)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        await page.GotoAsync(path);
        while (!await target.IsVisibleAsync() && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500);
            await page.GotoAsync(path);
        }

        await Assertions.Expect(target).ToBeVisibleAsync();
    }

    private static ILocator LastExecution(IPage page, string jobId) => JobRow(page, jobId).Locator("td").Nth(6);

    private static ILocator JobRow(IPage page, string jobId) =>
        page.Locator("tr", new() { Has = page.Locator($"input[type=checkbox][value='{jobId}']") });

    [GeneratedRegex("Poe Webhook Bridge")]
    private static partial Regex TitlePattern();
}
