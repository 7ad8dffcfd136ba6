using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// The poller a user writes by hand: one loop that polls the active videos in turn, one request every 60/budget seconds
/// (spread evenly), whatever their state.
/// </summary>
public sealed class RoundRobinPoller(Uri simulator, string poeKey, int requestsPerMinute)
{
    private readonly ConcurrentQueue<string> _queue = new();
    private readonly HttpClient _http = CreateClient(simulator, poeKey);

    public ConcurrentDictionary<string, DateTimeOffset> Detected { get; } = new();

    public void Add(string videoId) => _queue.Enqueue(videoId);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Never two requests closer than 60/budget seconds, so no 60 s window holds more than the budget, even after
        // a stall of this process (a schedule that caught up would burst).
        var period = TimeSpan.FromSeconds(60.0 / requestsPerMinute);
        var clock = Stopwatch.StartNew();
        var due = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            due = clock.Elapsed + period;
            if (_queue.TryDequeue(out var videoId))
            {
                _ = PollAsync(videoId);
            }
        }
    }

    private async Task PollAsync(string videoId)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/v1/videos/" + videoId, UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                var status = body.RootElement.GetProperty("status").GetString();
                if (status is "completed" or "failed")
                {
                    Detected.TryAdd(videoId, DateTimeOffset.UtcNow);
                    return;
                }
            }
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }

        _queue.Enqueue(videoId);
    }

    private static HttpClient CreateClient(Uri simulator, string key)
    {
        var http = new HttpClient { BaseAddress = simulator, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}
