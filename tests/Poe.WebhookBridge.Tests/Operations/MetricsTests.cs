using System.Globalization;
using System.Text.RegularExpressions;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>SPEC §6: the Prometheus series, under exactly their documented names, after one full cycle.</summary>
[Collection(ObservedCycleDefinition.Name)]
public sealed partial class MetricsTests(ObservedCycle cycle)
{
    [Fact]
    public void The_bridge_exports_exactly_the_documented_metric_families()
    {
        var families = TypeLine().Matches(cycle.Metrics)
            .Where(m => m.Groups["name"].Value.StartsWith("bridge_", StringComparison.Ordinal))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["bridge_active_watches"] = "gauge",
                ["bridge_endpoints_disabled"] = "gauge",
                ["bridge_poe_requests_total"] = "counter",
                ["bridge_webhook_attempts_total"] = "counter",
                ["bridge_webhook_delivery_seconds"] = "histogram",
                ["bridge_poll_lag_seconds"] = "histogram",
                ["bridge_poll_claim_seconds"] = "histogram",
            }.OrderBy(f => f.Key),
            families.OrderBy(f => f.Key));
    }

    [Fact]
    public void After_one_cycle_the_Poe_request_and_webhook_attempt_counters_have_moved()
    {
        Assert.True(Sum("bridge_poe_requests_total", "code", "200") >= 1, cycle.Metrics);
        Assert.True(Sum("bridge_poe_requests_total", "code", "401") >= 1, cycle.Metrics);
        Assert.True(Sum("bridge_webhook_attempts_total") >= 2, cycle.Metrics);
        Assert.Contains(Samples("bridge_webhook_attempts_total"), s => s.Labels.Contains("outcome=", StringComparison.Ordinal));
        Assert.Single(Samples("bridge_active_watches"));
    }

    [Fact]
    public void Delivery_time_and_poll_lag_are_histograms_in_seconds()
    {
        foreach (var histogram in new[] { "bridge_webhook_delivery_seconds", "bridge_poll_lag_seconds", "bridge_poll_claim_seconds" })
        {
            Assert.True(Sum($"{histogram}_count") >= 1, $"{histogram}_count is 0:\n{cycle.Metrics}");
            Assert.NotEmpty(Samples($"{histogram}_sum"));
            var buckets = Samples($"{histogram}_bucket").ToList();
            Assert.Contains(buckets, b => b.Labels.Contains("le=\"+Inf\"", StringComparison.Ordinal));
            // Buckets for seconds, not OpenTelemetry's millisecond-sized defaults.
            Assert.Contains(buckets, b => b.Labels.Contains("le=\"0.1\"", StringComparison.Ordinal));
        }

        // Stored as completed about a second after registration; delivered after one failed attempt and a 0.2 s retry.
        Assert.InRange(Sum("bridge_webhook_delivery_seconds_sum"), 0.1, 30);
    }

    private double Sum(string name, string? label = null, string? value = null) =>
        Samples(name).Where(s => label is null || s.Labels.Contains($"{label}=\"{value}\"", StringComparison.Ordinal)).Sum(s => s.Value);

    private IEnumerable<(string Labels, double Value)> Samples(string name) =>
        SampleLine().Matches(cycle.Metrics)
            .Where(m => m.Groups["name"].Value == name)
            .Select(m => (m.Groups["labels"].Value, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)(?: \d+)?$", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
