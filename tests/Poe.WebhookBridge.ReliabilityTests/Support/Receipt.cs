using System.Text.Json;
using Poe.WebhookBridge.Tests.Delivery;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>One webhook as the receiver saw it, with the fields the checks need.</summary>
public sealed record Receipt(string WebhookId, string Type, string WatchId, DateTimeOffset At)
{
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
    /// Webhook ids received more than once, split by whether a crash can explain them: an instance killed within
    /// <paramref name="window"/> after the first receipt (between the consumer's 2xx and the bridge recording it).
    /// </summary>
    public static (int CrashWindow, IReadOnlyList<string> Unexplained) Duplicates(
        IReadOnlyList<Receipt> deliveries, IReadOnlyList<DateTimeOffset> kills, TimeSpan window)
    {
        var crash = 0;
        var unexplained = new List<string>();
        foreach (var group in deliveries.GroupBy(d => d.WebhookId).Where(g => g.Count() > 1))
        {
            var first = group.Min(d => d.At);
            if (kills.Any(k => k >= first && k <= first + window))
            {
                crash++;
            }
            else
            {
                unexplained.Add($"{group.Key} x{group.Count()} at {string.Join(", ", group.Select(d => d.At.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)))}");
            }
        }

        return (crash, unexplained);
    }
}
