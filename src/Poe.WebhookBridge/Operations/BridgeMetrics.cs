using System.Diagnostics.Metrics;

namespace Poe.WebhookBridge.Operations;

/// <summary>The instruments of SPEC §6; exported in Prometheus format at <c>/metrics</c>.</summary>
public sealed class BridgeMetrics
{
    public const string MeterName = "Poe.WebhookBridge";

    // The exporter turns dots into underscores and appends "_seconds" for unit "s" and "_total" to counters, so these
    // names are scraped exactly as SPEC §6 lists them (bridge_poe_requests_total, bridge_webhook_delivery_seconds, …).
    // OpenTelemetry's default buckets (0–10000) suit milliseconds; these suit seconds: a first attempt within a
    // second, then the retry schedule's minutes and hours.
    private static readonly double[] DeliveryBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 7200, 21600, 43200, 86400, 172800];
    // A claim is one short transaction: milliseconds, fine-grained around the 20 ms a claim may take at any scale.
    private static readonly double[] PollClaimBuckets = [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private static readonly double[] PollLagBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly Counter<long> _poeRequests;
    private readonly Counter<long> _webhookAttempts;
    private readonly Counter<long> _pollsUnsent;
    private readonly Histogram<double> _deliverySeconds;
    private readonly Histogram<double> _pollLagSeconds;
    private readonly Histogram<double> _pollClaimSeconds;
    private long _activeWatches;
    private long _activeWatchesCountedAt;
    private long _endpointsDisabled;

    public BridgeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _poeRequests = meter.CreateCounter<long>("bridge.poe.requests", description: "Requests sent to Poe, by response code (or error kind) and operation.");
        _webhookAttempts = meter.CreateCounter<long>("bridge.webhook.attempts", description: "Webhook delivery attempts, by outcome.");
        _pollsUnsent = meter.CreateCounter<long>("bridge.poll.unsent", description: "Claimed polls given back unsent: not sent within the send deadline of their claim.");
        _deliverySeconds = meter.CreateHistogram("bridge.webhook.delivery", unit: "s", description: "From the terminal status being stored to a 2xx from the consumer.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryBuckets });
        _pollLagSeconds = meter.CreateHistogram("bridge.poll.lag", unit: "s", description: "How late polls run against their due time.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PollLagBuckets });
        _pollClaimSeconds = meter.CreateHistogram("bridge.poll.claim", unit: "s", description: "How long one claim of due videos takes (its transaction, from begin to commit).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PollClaimBuckets });
        meter.CreateObservableGauge("bridge.active_watches", () => Interlocked.Read(ref _activeWatches), description: "Watches being polled.");
        meter.CreateObservableGauge("bridge.endpoints_disabled", () => Interlocked.Read(ref _endpointsDisabled),
            description: "Endpoints disabled after failing every attempt for Webhooks:DisableEndpointAfter; their events are held.");
    }

    /// <param name="operation"><c>poll</c>, <c>create</c>, <c>remix</c>, <c>extend</c> or <c>content</c>.</param>
    public void PoeRequest(string code, string operation) =>
        _poeRequests.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("operation", operation));

    public void WebhookAttempt(string outcome) => _webhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Delivered(TimeSpan sinceTerminal) => _deliverySeconds.Record(Math.Max(0, sinceTerminal.TotalSeconds));

    public void PollLag(TimeSpan lag) => _pollLagSeconds.Record(Math.Max(0, lag.TotalSeconds));

    public void PollUnsent() => _pollsUnsent.Add(1);

    public void PollClaim(TimeSpan duration) => _pollClaimSeconds.Record(duration.TotalSeconds);

    public void ActiveWatches(long count) => Interlocked.Exchange(ref _activeWatches, count);

    /// <summary>
    /// How often the active-watch gauge is recounted: counting reads every active watch, so it costs in proportion to
    /// them, and once per common scrape interval keeps that cost from growing with how often the poll tick runs.
    /// </summary>
    public static readonly TimeSpan ActiveWatchesEvery = TimeSpan.FromSeconds(15);

    /// <summary>Whether the active-watch gauge is due for a recount at <paramref name="now"/>; true to one caller at a time.</summary>
    public bool ActiveWatchesDue(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _activeWatchesCountedAt);
        return now.UtcTicks - last >= ActiveWatchesEvery.Ticks && Interlocked.CompareExchange(ref _activeWatchesCountedAt, now.UtcTicks, last) == last;
    }

    public void EndpointsDisabled(long count) => Interlocked.Exchange(ref _endpointsDisabled, count);
}
