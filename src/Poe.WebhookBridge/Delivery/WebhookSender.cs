using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Clients;

namespace Poe.WebhookBridge.Delivery;

/// <summary>Makes one attempt: signs the stored payload for this moment and POSTs it, without following redirects.</summary>
public sealed class WebhookSender(HttpClient http, ClientRegistry clients, IOptions<WebhooksOptions> options, TimeProvider time)
{
    public static readonly string UserAgent = $"Poe-WebhookBridge/{typeof(WebhookSender).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    /// <summary>Never throws for the consumer's faults; throws <see cref="OperationCanceledException"/> only when <paramref name="stopping"/> fires.</summary>
    public async Task<AttemptResult> SendAsync(ClaimedEvent webhook, CancellationToken stopping)
    {
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        if (clients.FindByName(webhook.ClientName) is not { SigningKeys.Count: > 0 } client)
        {
            return new AttemptResult(AttemptOutcome.Refused, at, TimeSpan.Zero, null,
                $"the client '{webhook.ClientName}' has no signing secret configured, so the webhook cannot be signed.");
        }

        var body = Encoding.UTF8.GetBytes(webhook.Payload);
        var timestamp = at.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.CallbackUrl)
        {
            // HTTP/3 would open QUIC connections that bypass the vetting ConnectCallback.
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("webhook-id", webhook.Id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSigner.Sign(webhook.Id, timestamp, body, client.SigningKeys));

        var timeout = options.Value.Timeout;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var code = (int)response.StatusCode;
            var duration = time.GetElapsedTime(started);
            var result = code switch
            {
                >= 200 and <= 299 => new AttemptResult(AttemptOutcome.Delivered, at, duration, code, null),
                410 => new AttemptResult(AttemptOutcome.Gone, at, duration, code, "410 Gone: the consumer asked for no more webhooks; the watch is cancelled."),
                >= 300 and <= 399 => new AttemptResult(AttemptOutcome.FailedStatus, at, duration, code, $"HTTP {code}: redirects are not followed."),
                _ => new AttemptResult(AttemptOutcome.FailedStatus, at, duration, code, $"HTTP {code}.",
                    RetryPolicy.RetryAfterOf(code, response.Headers.RetryAfter, time.GetUtcNow())),
            };
            await DiscardBodyAsync(response, attempt.Token);
            return result;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new AttemptResult(AttemptOutcome.Timeout, at, time.GetElapsedTime(started), null, $"no response within {timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException ex) when (RefusalIn(ex) is { } refusal)
        {
            return new AttemptResult(AttemptOutcome.Refused, at, time.GetElapsedTime(started), null, AttemptResult.Shorten("refused: " + refusal.Message));
        }
        catch (HttpRequestException ex)
        {
            var detail = ex.InnerException is { } inner && inner.Message != ex.Message ? $"{ex.Message} ({inner.Message})" : ex.Message;
            return new AttemptResult(AttemptOutcome.ConnectionError, at, time.GetElapsedTime(started), null, AttemptResult.Shorten(detail));
        }
    }

    /// <summary>
    /// Reads the consumer's body to its end within the attempt's time-out, so that Webhooks:Timeout bounds the whole
    /// exchange: a body that drips past it is cut (a cancelled read closes the connection at once) instead of being
    /// drained in the background, and a body read to its end lets the connection be reused. The status alone decides
    /// the outcome, so a cut body does not change it.
    /// </summary>
    private static async Task DiscardBodyAsync(HttpResponseMessage response, CancellationToken attempt)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(attempt);
            await body.CopyToAsync(Stream.Null, attempt);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
        }
    }

    private static CallbackRefusedException? RefusalIn(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is CallbackRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
