using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// Sends the gateway's requests to Poe over the poller's HTTP client (same handler, same user agent, no retries of
/// its own), and tells apart an answer, a request that never left, and one whose fate is unknown.
/// </summary>
public sealed class PoeGatewayClient(IHttpClientFactory factory, IOptions<PoeOptions> options, TimeProvider time)
{
    /// <summary>POSTs <paramref name="body"/> (JSON) to <paramref name="path"/>; the answer is read whole (Poe's are small).</summary>
    public async Task<PoeReply> PostAsync(string apiKey, string path, byte[] body, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, apiKey, path);
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        var (response, failure) = await SendAsync(request, cancellationToken);
        if (response is null)
        {
            return failure!;
        }

        using (response)
        {
            return await ReadAsync(response, cancellationToken);
        }
    }

    /// <summary>Opens a content download: the response, headers read and body unread (the caller streams and disposes it), or why not.</summary>
    public async Task<(HttpResponseMessage? Response, PoeReply? Failure)> OpenContentAsync(
        string apiKey, string videoId, string? variant, CancellationToken cancellationToken)
    {
        var path = $"/v1/videos/{Uri.EscapeDataString(videoId)}/content" + (variant is null ? "" : "?variant=" + Uri.EscapeDataString(variant));
        using var request = Request(HttpMethod.Get, apiKey, path);
        var (response, failure) = await SendAsync(request, cancellationToken);
        if (response is null || response.IsSuccessStatusCode)
        {
            return (response, failure);
        }

        using (response)
        {
            return (null, await ReadAsync(response, cancellationToken));
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string apiKey, string path) =>
        new(method, options.Value.BaseUrl.AbsoluteUri.TrimEnd('/') + path) { Headers = { Authorization = new("Bearer", apiKey) } };

    /// <summary>Waits at most <c>Poe:Timeout</c> for the answer's headers.</summary>
    private async Task<(HttpResponseMessage? Response, PoeReply? Failure)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            return (await factory.CreateClient(nameof(PoeClient)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token), null);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return (null, new PoeReply(PoeReplyKind.NotSent, "connection_error"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new PoeReply(PoeReplyKind.Lost, "timeout"));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (null, new PoeReply(PoeReplyKind.Lost, "connection_error"));
        }
    }

    private async Task<PoeReply> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var code = status.ToString(CultureInfo.InvariantCulture);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            return new PoeReply(PoeReplyKind.Answered, code, status, await response.Content.ReadAsStringAsync(timeout.Token))
            {
                RetryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null,
                RetryAfterDelay = PoeRateHeaders.RetryAfter(response.Headers, time.GetUtcNow()),
                Hints = PoeRateHeaders.Read(response.Headers),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The status came but the body did not: for a create, Poe may have made the video.
            return new PoeReply(PoeReplyKind.Lost, ex is OperationCanceledException ? "timeout" : "connection_error");
        }
    }
}
