using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Poe.Simulator.Faults;
using Poe.Simulator.Videos;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Poe.WebhookBridge.Tests.Delivery;

namespace Poe.WebhookBridge.ReliabilityTests.Endurance;

/// <summary>What a soak watch was registered for: its consumer and how its video ends.</summary>
public enum SoakKind
{
    Completes,
    PoeFails,
    PoeFaults,
    SlowConsumer,
    FailingConsumer,
    HangingConsumer,
    GoneConsumer,
    GatewayCreate,
}

/// <summary>One registration: the bridge's answer (a status code, or "none"), and the watch id when it confirmed it with a 2xx.</summary>
public sealed record SoakWatch(SoakKind Kind, string VideoId, string Answer, string? WatchId, WebhookReceiver Consumer);

/// <summary>
/// A steady mixed load: one registration every <see cref="Interval"/>, round-robin over the instances, in a fixed
/// cycle of 20 — half healthy watches that complete, and for the rest a video Poe fails, Poe faults (5xx, reset,
/// garbage, a 3 s delay, 429s) before the answer, a slow, a failing (500), a hanging and a gone (410) consumer, and a
/// gateway create. Every registration is kept with its answer, and sent with an idempotency key.
/// </summary>
public sealed class SoakLoad
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    private static readonly SoakKind[] Cycle =
    [
        SoakKind.Completes, SoakKind.Completes, SoakKind.PoeFails, SoakKind.Completes, SoakKind.PoeFaults,
        SoakKind.SlowConsumer, SoakKind.Completes, SoakKind.FailingConsumer, SoakKind.Completes, SoakKind.GatewayCreate,
        SoakKind.Completes, SoakKind.PoeFaults, SoakKind.HangingConsumer, SoakKind.Completes, SoakKind.PoeFails,
        SoakKind.GoneConsumer, SoakKind.Completes, SoakKind.SlowConsumer, SoakKind.Completes, SoakKind.Completes,
    ];

    private static readonly Fault[] Faults =
    [
        Fault.HttpStatus(500), Fault.HttpStatus(503), Fault.Reset(), Fault.Garbage(), Fault.Delay(TimeSpan.FromSeconds(3)), Fault.RateLimit("1"), Fault.BareRateLimit(),
    ];

    private readonly BridgeCluster _cluster;
    private readonly SoakConsumers _consumers;
    private readonly List<Task<SoakWatch>> _sent = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private SoakLoad(BridgeCluster cluster, SoakConsumers consumers)
    {
        _cluster = cluster;
        _consumers = consumers;
        _running = RunAsync();
    }

    /// <summary>Registrations sent so far (each with its idempotency key).</summary>
    public int Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.Count;
            }
        }
    }

    public static SoakLoad Start(BridgeCluster cluster, SoakConsumers consumers) => new(cluster, consumers);

    /// <summary>Stops sending and returns every registration with its answer.</summary>
    public async Task<IReadOnlyList<SoakWatch>> StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
        Task<SoakWatch>[] sent;
        lock (_sent)
        {
            sent = [.. _sent];
        }

        return await Task.WhenAll(sent);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        for (var number = 0; await Tick(timer); number++)
        {
            var registration = RegisterAsync(number);
            lock (_sent)
            {
                _sent.Add(registration);
            }
        }
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<SoakWatch> RegisterAsync(int number)
    {
        var kind = Cycle[number % Cycle.Length];
        var videoId = $"video_soak{number:000000}";
        var consumer = kind switch
        {
            SoakKind.SlowConsumer => _consumers.Slow,
            SoakKind.FailingConsumer => _consumers.Failing,
            SoakKind.HangingConsumer => _consumers.Hanging,
            SoakKind.GoneConsumer => _consumers.Gone,
            _ => _cluster.Receiver,
        };
        using var api = _cluster.Api(number % _cluster.Size);
        if (kind == SoakKind.GatewayCreate)
        {
            var (status, id) = await CreateAsync(api, videoId, consumer.Url);
            return new SoakWatch(kind, videoId, Describe(status), id, consumer);
        }

        var running = TimeSpan.FromMilliseconds(1000 + (number * 7919 % 4000));
        Fault[] faults = kind == SoakKind.PoeFaults ? [Faults[number / Cycle.Length % Faults.Length]] : [];
        _cluster.Poe.Create(videoId, running, TimeSpan.FromMilliseconds(number % 500), kind == SoakKind.PoeFails ? VideoOutcome.Failed : VideoOutcome.Completed, faults);
        var answer = await Registrations.TryRegisterAsync(api, videoId, consumer.Url);
        return new SoakWatch(kind, videoId, Describe(answer?.Status), answer is { Status: HttpStatusCode.Created or HttpStatusCode.OK } ? answer.Value.WatchId : null, consumer);
    }

    private static string Describe(HttpStatusCode? status) => status is { } code ? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";

    /// <summary>
    /// A gateway create (<c>POST /v1/videos</c>): the simulator makes the video, the bridge stores it as a watch. A 429
    /// (Poe's key held after the faults' 429s) is retried after its <c>Retry-After</c> with the same key, as a consumer
    /// should.
    /// </summary>
    private static async Task<(HttpStatusCode? Status, string? WatchId)> CreateAsync(HttpClient api, string key, string callbackUrl)
    {
        for (var tries = 1; ; tries++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos")
            {
                Content = JsonContent.Create(new { model = "Sora-2", prompt = "a soak", callback_url = callbackUrl }),
            };
            request.Headers.Add("Idempotency-Key", key);
            try
            {
                using var response = await api.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && tries < 10)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta is { } delay && delay < TimeSpan.FromSeconds(10) ? delay : TimeSpan.FromSeconds(10));
                    continue;
                }

                return (response.StatusCode, response.StatusCode == HttpStatusCode.Created
                    ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()
                    : null);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                return (null, null);
            }
        }
    }
}
