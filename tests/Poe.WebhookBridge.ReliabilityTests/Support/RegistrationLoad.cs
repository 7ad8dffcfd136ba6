using System.Net;
using Poe.Simulator.Videos;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>
/// Consumers registering watches without pause (a few in parallel, each with an idempotency key), on videos that end a
/// few seconds later, until stopped. Every answer is kept, so a test can check what each 2xx promised.
/// </summary>
public sealed class RegistrationLoad
{
    private readonly List<Answer> _answers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private int _next;

    private RegistrationLoad(BridgeCluster cluster, HttpClient api, int workers) =>
        _running = Task.WhenAll(Enumerable.Range(0, workers).Select(_ => RegisterAsync(cluster, api)));

    /// <param name="VideoId">The video registered, and (as "register-" + it) the idempotency key.</param>
    /// <param name="Status">The answer's status, or null when none came (connection cut, time-out).</param>
    /// <param name="SentAt">When the request was sent.</param>
    public sealed record Answer(string VideoId, HttpStatusCode? Status, string? MediaType, string? WatchId, DateTimeOffset SentAt);

    public IReadOnlyList<Answer> Answers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    public static RegistrationLoad Start(BridgeCluster cluster, HttpClient api, int workers = 4) => new(cluster, api, workers);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }

    private async Task RegisterAsync(BridgeCluster cluster, HttpClient api)
    {
        while (!_stop.IsCancellationRequested)
        {
            var number = Interlocked.Increment(ref _next);
            var videoId = $"video_load{number:0000}";
            cluster.Poe.Create(videoId, TimeSpan.FromSeconds(2 + (number % 5)), TimeSpan.Zero, number % 4 == 0 ? VideoOutcome.Failed : VideoOutcome.Completed);
            var answer = await AnswerAsync(api, videoId, cluster.Receiver.Url);
            lock (_answers)
            {
                _answers.Add(answer);
            }

            // A consumer that got 503 waits as Retry-After says before its next request.
            await Task.Delay(answer.Status == HttpStatusCode.Created ? 50 : 1000);
        }
    }

    private static async Task<Answer> AnswerAsync(HttpClient api, string videoId, string callbackUrl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/watches")
        {
            Content = new StringContent($$"""{"video_id":"{{videoId}}","callback_url":"{{callbackUrl}}"}""", System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", "register-" + videoId } },
        };
        var sentAt = DateTimeOffset.UtcNow;
        try
        {
            using var response = await api.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var id = response.IsSuccessStatusCode ? System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString() : null;
            return new Answer(videoId, response.StatusCode, response.Content.Headers.ContentType?.MediaType, id, sentAt);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return new Answer(videoId, null, null, null, sentAt);
        }
    }
}
