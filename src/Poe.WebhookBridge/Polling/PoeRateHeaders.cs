using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Poe.WebhookBridge.Polling;

internal static partial class PoeRateHeaders
{
    public static PoeRateHints Read(HttpResponseHeaders headers)
    {
        int? remaining = int.TryParse(First(headers, "x-ratelimit-remaining-requests"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : null;
        return new PoeRateHints(remaining, ParseDuration(First(headers, "x-ratelimit-reset-requests")));
    }

    /// <summary><c>Retry-After</c> as seconds or an HTTP date, relative to <paramref name="now"/>.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Durations as OpenAI-style APIs write them (<c>1s</c>, <c>6m0s</c>, <c>250ms</c>, <c>1h2m3.5s</c>) or plain seconds.</summary>
    public static TimeSpan? ParseDuration(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        var parts = DurationPart().Matches(value.Trim());
        if (parts.Count == 0 || parts.Sum(p => p.Length) != value.Trim().Length)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match part in parts)
        {
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                _ => TimeSpan.FromMilliseconds(amount),
            };
        }

        return total;
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex DurationPart();
}
