using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Poe.WebhookBridge.Bench.Infrastructure;

/// <summary>One webhook as the receiver saw it.</summary>
public sealed record Received(string Tag, string VideoId, string Type, DateTimeOffset At);

/// <summary>
/// The consumer apps' webhook endpoint: <c>POST /hooks/{tag}</c> answers 204 at once; <c>POST /hang/{tag}</c> never answers
/// (a consumer that hangs). Listens on several loopback addresses (127.0.0.1 … 127.0.0.N), one "host" per consumer.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Tag, string VideoId), Received> _first = new();
    private long _count;
    private volatile TaskCompletionSource _gate = Open();

    private Receiver(WebApplication app, int port)
    {
        (_app, Port) = (app, port);
    }

    public int Port { get; }

    public long Count => Interlocked.Read(ref _count);

    public Action<Received>? OnReceived { get; set; }

    public static async Task<Receiver> StartAsync(int hosts = 1)
    {
        var port = BridgeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 1; i <= hosts; i++)
            {
                kestrel.Listen(IPAddress.Parse($"127.0.0.{i}"), port);
            }
        });
        var app = builder.Build();
        Receiver? receiver = null;
        app.MapPost("/hooks/{tag}", async (string tag, HttpRequest request) =>
        {
            await receiver!._gate.Task;
            var at = DateTimeOffset.UtcNow;
            using var body = await JsonDocument.ParseAsync(request.Body);
            var type = body.RootElement.GetProperty("type").GetString() ?? "";
            var videoId = body.RootElement.GetProperty("data").GetProperty("id").GetString() ?? "";
            receiver!.Record(new Received(tag, videoId, type, at));
            return Results.NoContent();
        });
        app.MapPost("/hang/{tag}", async (CancellationToken aborted) =>
        {
            await Task.Delay(Timeout.Infinite, aborted);
            return Results.NoContent();
        });
        receiver = new Receiver(app, port);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Holds every webhook unanswered until <see cref="OpenGate"/>, so events pile up ready in the bridge's outbox.</summary>
    public void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OpenGate() => _gate.TrySetResult();

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    public Uri Callback(string tag, int host = 1, bool hang = false) => new($"http://127.0.0.{host}:{Port}/{(hang ? "hang" : "hooks")}/{tag}");

    public bool TryGet(string tag, string videoId, out Received received) => _first.TryGetValue((tag, videoId), out received!);

    public IEnumerable<Received> All(string tag) => _first.Values.Where(r => r.Tag == tag);

    private void Record(Received received)
    {
        Interlocked.Increment(ref _count);
        if (_first.TryAdd((received.Tag, received.VideoId), received))
        {
            OnReceived?.Invoke(received);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
