using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>SPEC §5 over HTTP: Basic credentials, the bridge's jobs, a trigger that needs Hangfire's antiforgery token.</summary>
public sealed partial class DashboardTests(DashboardBridge fixture) : IClassFixture<DashboardBridge>
{
    private const string RecurringPage = "/hangfire/recurring";

    [Fact]
    public async Task Without_credentials_the_dashboard_answers_401_with_a_Basic_challenge()
    {
        using var client = Client(authorization: null);

        using var response = await client.GetAsync(new Uri(RecurringPage, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Contains("realm=", challenge.Parameter, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> WrongCredentials => new()
    {
        { "Basic", Basic(DashboardBridge.Username, "not-the-password") },
        { "Basic", Basic("someone-else", "not-the-password") },
        { "Basic", Basic(DashboardBridge.Username, "") },
        { "Basic", "not base64 at all" },
        { "Bearer", "a-bearer-token" },
    };

    [Theory]
    [MemberData(nameof(WrongCredentials))]
    public async Task Wrong_credentials_are_refused_with_401(string scheme, string parameter)
    {
        using var client = Client(new AuthenticationHeaderValue(scheme, parameter));

        using var response = await client.GetAsync(new Uri(RecurringPage, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task With_the_credentials_the_recurring_jobs_page_names_the_bridge_and_its_jobs_and_links_to_the_API_reference()
    {
        using var client = Client(Credentials());

        var html = await client.GetStringAsync(new Uri(RecurringPage, UriKind.Relative));

        Assert.Contains("Poe Webhook Bridge", html, StringComparison.Ordinal);
        foreach (var id in new[] { "bridge:poll-due-videos", "bridge:deliver-due-webhooks", RetentionJob.RecurringJobId })
        {
            Assert.Contains(id, html, StringComparison.Ordinal);
        }

        Assert.Contains("Purge ended watches", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trigger_needs_the_antiforgery_token_of_the_dashboards_own_page()
    {
        using var client = Client(Credentials());
        var storage = fixture.Bridge.Services.GetRequiredService<JobStorage>();
        var before = LastExecution(storage);

        using (var forged = await client.PostAsync(new Uri("/hangfire/recurring/trigger", UriKind.Relative), TriggerForm()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        var html = await client.GetStringAsync(new Uri(RecurringPage, UriKind.Relative));
        using var trigger = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = TriggerForm() };
        trigger.Headers.Add(CsrfMeta().Match(html).Groups["header"].Value, CsrfToken().Match(html).Groups["token"].Value);
        using var accepted = await client.SendAsync(trigger);

        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(LastExecution(storage) != before), TimeSpan.FromSeconds(15), "the retention job to run");
    }

    [Fact]
    public async Task Failed_work_is_listed_with_its_exception()
    {
        using var client = Client(Credentials());
        var jobs = fixture.Bridge.Services.GetRequiredService<IBackgroundJobClient>();

        var jobId = jobs.Enqueue(() => FailingWork.Run());
        await Eventually.TrueAsync(async () => (await client.GetStringAsync(new Uri("/hangfire/jobs/failed", UriKind.Relative))).Contains(FailingWork.Message, StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "the job to be listed as failed");
        var details = await client.GetStringAsync(new Uri($"/hangfire/jobs/details/{jobId}", UriKind.Relative));

        Assert.Contains(nameof(InvalidOperationException), details, StringComparison.Ordinal);
        Assert.Contains(FailingWork.Message, details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("::ffff:127.0.0.1", null, true)]
    [InlineData("10.1.2.3", "10.1.2.3", false)] // the host's own address: Hangfire's LocalRequestsOnly would let it in
    [InlineData("203.0.113.9", "10.1.2.3", false)]
    [InlineData(null, null, false)]
    public void With_no_credentials_configured_only_loopback_requests_are_let_in(string? remote, string? local, bool admitted)
    {
        var filter = new DashboardAccessFilter(new Poe.WebhookBridge.Operations.DashboardOptions());
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = fixture.Bridge.Services };
        http.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        http.Connection.LocalIpAddress = local is null ? null : IPAddress.Parse(local);

        var context = new Hangfire.Dashboard.AspNetCoreDashboardContext(fixture.Bridge.Services.GetRequiredService<JobStorage>(), new Hangfire.DashboardOptions(), http);

        Assert.Equal(admitted, filter.Authorize(context));
    }

    private static DateTime? LastExecution(JobStorage storage)
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs([RetentionJob.RecurringJobId]).Single().LastExecution;
    }

    private static FormUrlEncodedContent TriggerForm() => new([new("jobs[]", RetentionJob.RecurringJobId)]);

    private HttpClient Client(AuthenticationHeaderValue? authorization)
    {
        // The test client keeps cookies, as a browser keeps Hangfire's antiforgery cookie.
        var client = fixture.Bridge.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    private AuthenticationHeaderValue Credentials() => new("Basic", Basic(DashboardBridge.Username, fixture.Password));

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [GeneratedRegex("""<meta name="csrf-header" content="(?<header>[^"]+)">""")]
    private static partial Regex CsrfMeta();

    [GeneratedRegex("""<meta name="csrf-token" content="(?<token>[^"]+)">""")]
    private static partial Regex CsrfToken();
}

/// <summary>A background job that always throws, as broken work would.</summary>
public static class FailingWork
{
    public const string Message = "Simulated failure for the dashboard test";

    [AutomaticRetry(Attempts = 0)]
    public static void Run() => throw new InvalidOperationException(Message);
}
