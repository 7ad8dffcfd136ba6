using System.Text.Json;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>SPEC §1 and §6: structured JSON logs that name watches, events and videos, and never carry a secret.</summary>
[Collection(ObservedCycleDefinition.Name)]
public sealed class LogTests(ObservedCycle cycle)
{
    [Fact]
    public void A_full_cycle_logged_at_trace_level_contains_none_of_the_configured_secrets()
    {
        var output = string.Join('\n', cycle.Output);
        // Escaped forms too: a JSON writer would turn "/" or "+" of a base64 secret into \u002F or \u002B.
        var leaks = cycle.Secrets
            .Where(secret => Forms(secret.Value).Any(form => output.Contains(form, StringComparison.OrdinalIgnoreCase)))
            .Select(secret => secret.Key)
            .ToList();

        Assert.True(cycle.Output.Count > 100, $"Too little output to prove anything:\n{output}");
        Assert.True(leaks.Count == 0, $"The logs contain: {string.Join(", ", leaks)}, in:\n{string.Join('\n', LinesWith(leaks))}");
    }

    [Fact]
    public void With_the_json_formatter_every_line_is_one_JSON_log_entry()
    {
        var entries = cycle.Output.Select(line => (Line: line, Entry: Parse(line))).ToList();

        Assert.All(entries, e => Assert.True(e.Entry is { } entry && entry.TryGetProperty("Category", out _) && entry.TryGetProperty("LogLevel", out _),
            $"Not a JSON log entry: {e.Line}"));
    }

    [Fact]
    public void Deliveries_are_logged_with_event_and_watch_ids_as_properties_and_the_callback_by_host_only()
    {
        var delivered = States().Where(s => s.TryGetProperty("{OriginalFormat}", out var format) && format.GetString()!.Contains("delivered to {CallbackHost}", StringComparison.Ordinal)).ToList();

        var state = Assert.Single(delivered);
        Assert.Equal(cycle.WatchId, state.GetProperty("WatchId").GetString());
        Assert.StartsWith("evt_", state.GetProperty("EventId").GetString(), StringComparison.Ordinal);
        Assert.Equal(new Uri(cycle.CallbackUrl).Host, state.GetProperty("CallbackHost").GetString());
        Assert.Contains(States(), s => s.TryGetProperty("WatchId", out var id) && id.GetString() == cycle.WatchId && s.TryGetProperty("Outcome", out _));
    }

    [Fact]
    public void Polls_are_logged_with_the_video_id_as_a_property()
    {
        Assert.Contains(States(), s => s.TryGetProperty("VideoId", out var id) && id.GetString() == ObservedCycle.VideoId);
        Assert.Contains(States(), s => s.TryGetProperty("VideoId", out var id) && id.GetString() == ObservedCycle.RejectedVideoId && s.TryGetProperty("PoeKeyId", out _));
    }

    private IEnumerable<JsonElement> States() =>
        cycle.Output.Select(Parse).OfType<JsonElement>().Where(e => e.TryGetProperty("State", out _)).Select(e => e.GetProperty("State"));

    private static JsonElement? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The leaking lines, each secret masked, so a failure shows where it leaked without repeating it.
    private IEnumerable<string> LinesWith(List<string> leaks)
    {
        var forms = leaks.SelectMany(leak => Forms(cycle.Secrets[leak])).ToList();
        return cycle.Output.Where(line => forms.Any(form => line.Contains(form, StringComparison.OrdinalIgnoreCase)))
            .Select(line => forms.Aggregate(line, (masked, form) => masked.Replace(form, "<secret>", StringComparison.OrdinalIgnoreCase)))
            .Take(5);
    }

    private static IEnumerable<string> Forms(string secret) =>
    [
        secret,
        JsonSerializer.Serialize(secret)[1..^1],
        Uri.EscapeDataString(secret),
    ];
}
