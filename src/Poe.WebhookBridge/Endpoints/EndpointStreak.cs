using Poe.WebhookBridge.Delivery;

namespace Poe.WebhookBridge.Endpoints;

/// <summary>What one batch of attempts says about an endpoint: its last 2xx, and the failures since (in the order they ended).</summary>
internal sealed record EndpointStreak(EndpointKey Endpoint, DateTimeOffset? LastSuccessAt, DateTimeOffset? FailingSince, int Failures, DateTimeOffset? LastFailureAt)
{
    /// <summary>One streak per endpoint, ordered by client and origin.</summary>
    public static IEnumerable<EndpointStreak> Of(IEnumerable<AttemptWriteback> writebacks) =>
        writebacks
            .Select(w => (Endpoint: new EndpointKey(w.Event.ClientName, EndpointOrigin.Of(w.Event.CallbackUrl)), Ended: w.Result.At + w.Result.Duration, w.Result.Delivered))
            .GroupBy(a => a.Endpoint)
            .OrderBy(g => g.Key.ClientName, StringComparer.Ordinal).ThenBy(g => g.Key.Url, StringComparer.Ordinal)
            .Select(g =>
            {
                var lastSuccess = g.Where(a => a.Delivered).Select(a => (DateTimeOffset?)a.Ended).Max();
                var failures = g.Where(a => !a.Delivered && (lastSuccess is null || a.Ended > lastSuccess)).Select(a => a.Ended).Order().ToList();
                return new EndpointStreak(g.Key, lastSuccess, failures.Count > 0 ? failures[0] : null, failures.Count, failures.Count > 0 ? failures[^1] : null);
            });
}
