using Hangfire;
using Poe.WebhookBridge.Infrastructure.Hangfire;

namespace Poe.WebhookBridge.Polling;

/// <summary>The once-a-second recurring job that polls every due video.</summary>
[Queue("polling")]
[AutomaticRetry(Attempts = 0)]
[ShortLivedJob]
public sealed class PollTickJob
{
    public const string RecurringJobId = "bridge:poll-due-videos";

    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
