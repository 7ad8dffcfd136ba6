using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Poe.WebhookBridge.ReliabilityTests.ConsumerFaults;

/// <summary>A consumer that fails one way; every attempt to it is expected to record this status code (null: no answer) and error.</summary>
public sealed record FaultyConsumer(string Name, string Url, int? StatusCode, string Error)
{
    /// <summary>410 Gone: one attempt, then the watch is cancelled.</summary>
    public bool IsGone => StatusCode == 410;

    /// <summary>What the consumer's owner sees through the API, against SPEC §4; one line per departure.</summary>
    public async Task<IEnumerable<string>> DeparturesAsync(HttpClient api, string watchId, int attemptsUntilDead)
    {
        var watch = await api.GetFromJsonAsync<JsonElement>(new Uri($"/v1/watches/{watchId}", UriKind.Relative));
        var events = (await api.GetFromJsonAsync<JsonElement>(new Uri($"/v1/watches/{watchId}/events", UriKind.Relative))).GetProperty("data").EnumerateArray().ToList();
        var status = watch.GetProperty("status").GetString();
        var wrong = new List<string>();
        if (status != (IsGone ? "cancelled" : "completed"))
        {
            wrong.Add($"{Name} {watchId}: watch {status}");
        }

        var attempts = events.SelectMany(e => e.GetProperty("delivery").GetProperty("attempts").EnumerateArray()).ToList();
        var expectedAttempts = IsGone ? 1 : attemptsUntilDead;
        foreach (var e in events)
        {
            var delivery = e.GetProperty("delivery");
            var count = delivery.GetProperty("attempts").GetArrayLength();
            // A 410 stops retrying: its event, and any other of the watch still pending, ends with no further attempt.
            if (delivery.GetProperty("status").GetString() != "failed" || count > expectedAttempts || (!IsGone && count != expectedAttempts))
            {
                wrong.Add($"{Name} {watchId}: {e.GetProperty("type")} {delivery.GetProperty("status")} after {count} attempts");
            }
        }

        if (events.Count == 0 || attempts.Count == 0)
        {
            wrong.Add($"{Name} {watchId}: {events.Count} events, {attempts.Count} attempts");
        }

        foreach (var attempt in attempts)
        {
            int? code = attempt.GetProperty("status_code").ValueKind == JsonValueKind.Number ? attempt.GetProperty("status_code").GetInt32() : null;
            var error = attempt.GetProperty("error").GetString() ?? "";
            if (code != StatusCode || !error.Contains(Error, StringComparison.OrdinalIgnoreCase))
            {
                wrong.Add($"{Name} {watchId}: attempt answered {code?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} ({error})");
            }
        }

        return wrong;
    }
}
