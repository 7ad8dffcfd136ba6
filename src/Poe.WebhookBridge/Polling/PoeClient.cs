using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Polling;

/// <summary>Asks Poe for one video and classifies every possible answer; never throws for what Poe or the network does.</summary>
public sealed class PoeClient(HttpClient http, IOptions<PoeOptions> options, TimeProvider time)
{
    private const int MaxBodyBytes = 1024 * 1024;

    public async Task<PoeResponse> GetVideoAsync(string apiKey, string videoId, CancellationToken cancellationToken)
    {
        var url = $"{options.Value.BaseUrl.AbsoluteUri.TrimEnd('/')}/v1/videos/{Uri.EscapeDataString(videoId)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new("Bearer", apiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var hints = PoeRateHeaders.Read(response.Headers);
            var code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => await ReadVideoAsync(response, hints, timeout.Token),
                HttpStatusCode.Unauthorized => new PoeResponse(PoeOutcome.Unauthorized, code, Hints: hints),
                HttpStatusCode.NotFound => new PoeResponse(PoeOutcome.NotFound, code, Hints: hints),
                HttpStatusCode.TooManyRequests => new PoeResponse(PoeOutcome.RateLimited, code, RetryAfter: PoeRateHeaders.RetryAfter(response.Headers, time.GetUtcNow()), Hints: hints),
                _ => PoeResponse.Transient(code, hints),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PoeResponse.Transient("timeout");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return PoeResponse.Transient("connection_error");
        }
    }

    private static string? StringOf(JsonElement root, string name) => root.TryGetProperty(name, out var value) && value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number => true,
        _ => false,
    }
        ? value.ToString()
        : null;

    private static DateTimeOffset? UnixTimeOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static async Task<PoeResponse> ReadVideoAsync(HttpResponseMessage response, PoeRateHints hints, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            return PoeResponse.Transient("malformed", hints);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
            {
                return PoeResponse.Transient("malformed", hints);
            }

            if (!VideoSnapshot.KnownStatuses.Contains(status.GetString()))
            {
                return PoeResponse.Transient("unknown_status", hints);
            }

            int? progress = root.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Number ? (int)Math.Clamp(p.GetDouble(), 0, 100) : null;
            var snapshot = new VideoSnapshot(status.GetString()!, progress, body)
            {
                Model = StringOf(root, "model"),
                Seconds = StringOf(root, "seconds"),
                CreatedAt = UnixTimeOf(root, "created_at"),
                CompletedAt = UnixTimeOf(root, "completed_at"),
            };
            return new PoeResponse(PoeOutcome.Video, "200", snapshot, Hints: hints);
        }
        catch (JsonException)
        {
            return PoeResponse.Transient("malformed", hints);
        }
    }
}
