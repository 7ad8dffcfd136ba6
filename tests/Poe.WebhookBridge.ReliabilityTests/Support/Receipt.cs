using System.Text.Json;
using Poe.WebhookBridge.Tests.Delivery;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>One webhook as the receiver saw it, with the fields the checks need.</summary>
public sealed record Receipt(string WebhookId, string Type, string WatchId, DateTimeOffset At)
{
    /// <summary>How long after a kill the consumer may still stamp what the killed instance had sent (see <see cref="Duplicates"/>).</summary>
    public static readonly TimeSpan SendLag = TimeSpan.FromSeconds(1);

    public static IReadOnlyList<Receipt> From(IEnumerable<ReceivedWebhook> received) =>
    [
        .. received.Select(r =>
        {
            using var body = JsonDocument.Parse(r.Body);
            var root = body.RootElement;
            return new Receipt(
                r.Header("webhook-id"),
                root.GetProperty("type").GetString()!,
                root.GetProperty("watch").GetProperty("id").GetString()!,
                r.ReceivedAt);
        }),
    ];

    /// <summary>
    /// Webhook ids received more than once, split by whether a crash can explain them: an instance killed between
    /// the consumer's 2xx and the bridge recording it, i.e. within <paramref name="window"/> after the first receipt.
    /// A receipt is stamped once the consumer has read the request, so what a dying instance had already written to
    /// the socket can be stamped after the kill when the test process stalls (then several such requests are stamped
    /// in the same instant): <see cref="SendLag"/> allows for that. A restarted instance needs longer than that to
    /// boot, so a receipt within it cannot come from the replacement.
    /// </summary>
    public static (int CrashWindow, IReadOnlyList<string> Unexplained) Duplicates(
        IReadOnlyList<Receipt> deliveries, IReadOnlyList<DateTimeOffset> kills, TimeSpan window)
    {
        var crash = 0;
        var unexplained = new List<string>();
        foreach (var group in deliveries.GroupBy(d => d.WebhookId).Where(g => g.Count() > 1))
        {
            var first = group.Min(d => d.At);
            if (kills.Any(k => k >= first - SendLag && k <= first + window))
            {
                crash++;
            }
            else
            {
                var nearest = kills.Count == 0 ? "none" : $"{kills.Select(k => (k - first).TotalMilliseconds).MinBy(Math.Abs):+0;-0} ms";
                unexplained.Add($"{group.Key} x{group.Count()} at {string.Join(", ", group.Select(d => Clock(d.At)))} (nearest kill {nearest})");
            }
        }

        return (crash, unexplained);
    }

    private static string Clock(DateTimeOffset at) => at.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
}
