using Hangfire;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Infrastructure.Hangfire;

internal static class BridgeJobs
{
    // Six-field cron: every second. Hangfire fires it as often as the server's SchedulePollingInterval allows.
    private const string EverySecond = "*/1 * * * * *";

    public static readonly string[] Queues = ["polling", "delivery", "default"];

    /// <summary>Registers the recurring jobs that drive the bridge, under stable ids (safe to repeat on every instance).</summary>
    public static WebApplication UseBridgeJobs(this WebApplication app)
    {
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        jobs.AddOrUpdate<PollTickJob>(PollTickJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), EverySecond, utc);
        jobs.AddOrUpdate<DeliveryTickJob>(DeliveryTickJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), EverySecond, utc);
        var retention = app.Services.GetRequiredService<IOptions<RetentionOptions>>().Value;
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), retention.Schedule, utc);
        return app;
    }
}
