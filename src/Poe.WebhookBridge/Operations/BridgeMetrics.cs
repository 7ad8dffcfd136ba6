using System.Diagnostics.Metrics;

namespace Poe.WebhookBridge.Operations;

/// <summary>The instruments of SPEC §6; exported in Prometheus format at <c>/metrics</c>.</summary>
public sealed class BridgeMetrics
{
    public const string MeterName = "Poe.WebhookBridge";

    private readonly Counter<long> _poeRequests;
    private readonly Counter<long> _webhookAttempts;
    private readonly Histogram<double> _deliverySeconds;
    private readonly Histogram<double> _pollLagSeconds;
    private long _activeWatches;

    public BridgeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _poeRequests = meter.CreateCounter<long>("bridge.poe.requests", description: "Requests sent to Poe, by response code (or error kind).");
        _webhookAttempts = meter.CreateCounter<long>("bridge.webhook.attempts", description: "Webhook delivery attempts, by outcome.");
        _deliverySeconds = meter.CreateHistogram<double>("bridge.webhook.delivery", unit: "s", description: "From the terminal status being stored to a 2xx from the consumer.");
        _pollLagSeconds = meter.CreateHistogram<double>("bridge.poll.lag", unit: "s", description: "How late polls run against their due time.");
        meter.CreateObservableGauge("bridge.active_watches", () => Interlocked.Read(ref _activeWatches), description: "Watches being polled.");
    }

    public void PoeRequest(string code) => _poeRequests.Add(1, new KeyValuePair<string, object?>("code", code));

    public void WebhookAttempt(string outcome) => _webhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Delivered(TimeSpan sinceTerminal) => _deliverySeconds.Record(Math.Max(0, sinceTerminal.TotalSeconds));

    public void PollLag(TimeSpan lag) => _pollLagSeconds.Record(Math.Max(0, lag.TotalSeconds));

    public void ActiveWatches(long count) => Interlocked.Exchange(ref _activeWatches, count);
}
