using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Poe.WebhookBridge.Tests.Support;

/// <summary>
/// A Poe that gives exactly the scripted answers, on a real loopback socket: per video, answers are given in order
/// and the last one repeats. Every request is logged on arrival (before any delay), so gaps between polls are exact.
/// An unscripted video is 404.
/// </summary>
public sealed class FakePoe : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakePoeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, AnswerQueue> _scripts = new(StringComparer.Ordinal);

    private FakePoe(WebApplication app) => _app = app;

    public Uri BaseUrl => new(_app.Urls.First());

    public static async Task<FakePoe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakePoe(app);
        app.MapGet("/v1/videos/{id}", (string id, HttpContext context) => fake.AnswerAsync(id, context));
        app.MapGet("/v1/videos/{id}/content", (string id, HttpContext context) => fake.AnswerAsync(ContentOf(id), context));
        app.MapPost("/{**path}", (string path, HttpContext context) => fake.AnswerAsync("POST /" + path, context));
        await app.StartAsync();
        return fake;
    }

    /// <summary>The script key of POSTs to <paramref name="path"/> (e.g. <c>/v1/videos</c>): they are scripted like a video.</summary>
    public static string Post(string path) => "POST " + path;

    /// <summary>The script key of downloads of a video's content.</summary>
    public static string ContentOf(string videoId) => "content " + videoId;

    /// <param name="videoId">A video id, or <see cref="Post"/> or <see cref="ContentOf"/>.</param>
    public void Script(string videoId, params PoeAnswer[] answers) => _scripts[videoId] = new AnswerQueue(answers);

    public IReadOnlyList<FakePoeRequest> Requests => [.. _requests];

    public IReadOnlyList<FakePoeRequest> RequestsFor(string videoId) => [.. _requests.Where(r => r.VideoId == videoId)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(string videoId, HttpContext context)
    {
        var body = "";
        try
        {
            body = HttpMethods.IsPost(context.Request.Method) ? await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted) : "";
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client gave up while its body was still arriving (its time-out on a loaded machine): it did send.
        }

        _requests.Enqueue(new FakePoeRequest(DateTimeOffset.UtcNow, videoId, context.Request.Headers.Authorization.ToString(), body));
        var answer = _scripts.TryGetValue(videoId, out var script) ? script.Next() : PoeAnswer.Error(404, "not_found");
        if (answer.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay, context.RequestAborted);
        }

        if (answer.Reset)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = answer.ContentType;
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private sealed class AnswerQueue(PoeAnswer[] answers)
    {
        private int _next;

        public PoeAnswer Next()
        {
            var index = Interlocked.Increment(ref _next) - 1;
            return answers[Math.Min(index, answers.Length - 1)];
        }
    }
}

/// <param name="VideoId">The video polled, or the script key of a POST or download.</param>
public sealed record FakePoeRequest(DateTimeOffset At, string VideoId, string Authorization, string Body = "");

/// <summary>One scripted answer of <see cref="FakePoe"/>.</summary>
public sealed record PoeAnswer
{
    public int Status { get; init; } = 200;

    public string ContentType { get; init; } = "application/json";

    public string Body { get; init; } = "";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Never answers (until the client gives up).</summary>
    public bool Hang { get; init; }

    /// <summary>Waits this long before answering.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Cuts the connection without an answer.</summary>
    public bool Reset { get; init; }

    /// <summary>A video object shaped like Poe's; <paramref name="extraFields"/> is JSON members appended as they are (e.g. <c>"new":1</c>).</summary>
    public static PoeAnswer Video(string id, string status, int progress, string? extraFields = null)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 10;
        var terminal = status is "completed" or "failed";
        var completedAt = terminal ? (created + 9).ToString(System.Globalization.CultureInfo.InvariantCulture) : "null";
        var body = $$"""
            {"id":"{{id}}","object":"video","status":"{{status}}","progress":{{progress}},"created_at":{{created}},"completed_at":{{completedAt}},"expires_at":null,"model":"sora-2","seconds":8,"size":"1280x720","remixed_from_video_id":null,"error":null,"usage":null{{(extraFields is null ? "" : "," + extraFields)}}}
            """;
        return new PoeAnswer { Body = body };
    }

    public static PoeAnswer Error(int status, string code) =>
        new() { Status = status, Body = JsonSerializer.Serialize(new { error = new { message = $"Scripted {status}.", type = code, code } }) };

    public static PoeAnswer Raw(string body, string contentType = "application/json") => new() { Body = body, ContentType = contentType };

    public static PoeAnswer Hanging() => new() { Hang = true };

    public static PoeAnswer ConnectionReset() => new() { Reset = true };

    public PoeAnswer WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}
