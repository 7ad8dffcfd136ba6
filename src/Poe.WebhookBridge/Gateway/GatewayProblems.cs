using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// The gateway's problems (SPEC §10): what the caller can act on keeps Poe's status (400, 402, 404, 429), what only the
/// operator can fix is a 502 that names it, and an answer lost after sending is a 504: Poe may have made the video.
/// </summary>
internal sealed class GatewayProblems(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public const string OutcomeUnknown = "creation_outcome_unknown";
    public const string KeyRejected = "poe_key_rejected";
    public const string Unavailable = "poe_unavailable";

    /// <summary>The problem for a Poe answer that is not a success, with the <c>Retry-After</c> to send along (429 only).</summary>
    /// <param name="creates">Whether the request makes a video: then an answer lost after sending leaves its outcome unknown.</param>
    public (GatewayAnswer Answer, string? RetryAfter) FromPoe(PoeReply reply, string what, bool creates = true)
    {
        var error = ErrorOf(reply.Body);
        var message = error is { } e && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return (reply.Kind, reply.Status) switch
        {
            (PoeReplyKind.NotSent, _) => (Answer(502, Unavailable, "Poe is unavailable", $"Poe could not be reached; nothing was sent. Retry {what} later."), null),
            (PoeReplyKind.Lost, _) when !creates => (Answer(504, "poe_timeout", "Poe did not answer", $"Poe did not answer {what} in time. Retry later."), null),
            (PoeReplyKind.Lost, _) => (Answer(504, OutcomeUnknown, "Outcome unknown",
                $"Poe did not answer in time after the request was sent: it may have made the video. Poe cannot be asked which videos exist; repeating {what} may make a second one."), null),
            (_, 402) => (Answer(402, "poe_points_exhausted", "Poe points used up",
                "The Poe account's points are used up, so Poe made no video. Add points (or wait for the allowance to renew), then retry.", error), null),
            (_, 404) => (Answer(404, "poe_video_not_found", "Video not found at Poe", message ?? "Poe has no such video.", error), null),
            (_, 429) => (Answer(429, "poe_rate_limited", "Poe rate limit", "Poe is rate-limiting this key; nothing was made. Retry after the Retry-After delay.", error),
                reply.RetryAfter ?? Seconds(reply.Hints?.Reset ?? TimeSpan.FromSeconds(1))),
            (_, 401 or 403) => (Answer(502, KeyRejected, "Poe rejected the bridge's key",
                "Poe refused the bridge's own Poe API key (not yours): the operator must fix it. Nothing was made.", error), null),
            (_, >= 500) => (Answer(502, Unavailable, "Poe is unavailable", $"Poe answered {reply.Status}. Retry {what} later.", error), null),
            (_, >= 400) => (Answer(400, "poe_bad_request", "Poe rejected the request", message ?? $"Poe answered {reply.Status}.", error), null),
            _ => (Answer(502, Unavailable, "Unexpected answer from Poe", $"Poe answered {reply.Status}.", error), null),
        };
    }

    public GatewayAnswer Answer(int status, string type, string title, string detail, JsonElement? error = null) =>
        new(status, JsonSerializer.Serialize(new GatewayProblem { Type = type, Title = title, Status = status, Detail = detail, Error = error }, json.Value.SerializerOptions));

    public static string Seconds(TimeSpan delay) => Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static JsonElement? ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                ? error.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
