using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Poe.WebhookBridge.Tests.Support.Contract;

namespace Poe.WebhookBridge.Tests.Delivery;

/// <summary>
/// A consumer's endpoint on a real Kestrel socket: records every POST as it arrives and answers as scripted
/// (the scripted answers in order, then the default one). Every body is judged by the webhook's payload schema in the
/// served OpenAPI document; a rejected one fails the test when it waits for webhooks or disposes the receiver.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Queue<Func<HttpContext, CancellationToken, Task>> _script = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly Channel<ReceivedWebhook> _arrivals = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly CancellationTokenSource _closing = new();
    private readonly WebhookContract _contract = new();
    private Func<HttpContext, CancellationToken, Task> _default;
    private int _open;
    private int _maxOpen;

    private WebhookReceiver(WebApplication app, Func<HttpContext, CancellationToken, Task> answer)
    {
        _app = app;
        _default = answer;
        app.Run(HandleAsync);
    }

    /// <summary>Answers 204 unless scripted otherwise.</summary>
    public static readonly Func<HttpContext, CancellationToken, Task> NoContent = Status(204);

    /// <summary>Never answers (until the receiver closes).</summary>
    public static readonly Func<HttpContext, CancellationToken, Task> Hang = (_, closing) => Task.Delay(Timeout.Infinite, closing);

    public string Host { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary>The callback URL to register: <c>http://{address}:{port}/hooks/poe</c>.</summary>
    public string Url => $"http://{Host}:{Port}/hooks/poe";

    public int MaxConcurrentRequests => Volatile.Read(ref _maxOpen);

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static Func<HttpContext, CancellationToken, Task> Status(int statusCode, params (string Name, string Value)[] headers) => (context, _) =>
    {
        context.Response.StatusCode = statusCode;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        return Task.CompletedTask;
    };

    public static async Task<WebhookReceiver> StartAsync(IPAddress? address = null, Func<HttpContext, CancellationToken, Task>? answer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(address ?? IPAddress.Loopback, 0));
        var receiver = new WebhookReceiver(builder.Build(), answer ?? NoContent);
        await receiver._app.StartAsync();
        var bound = new Uri(receiver._app.Urls.Single());
        receiver.Host = bound.Host;
        receiver.Port = bound.Port;
        return receiver;
    }

    /// <summary>The next requests are answered by these, in order; then the default answer applies again.</summary>
    public WebhookReceiver Answer(params Func<HttpContext, CancellationToken, Task>[] answers)
    {
        lock (_script)
        {
            foreach (var answer in answers)
            {
                _script.Enqueue(answer);
            }
        }

        return this;
    }

    public WebhookReceiver AnswerByDefault(Func<HttpContext, CancellationToken, Task> answer)
    {
        _default = answer;
        return this;
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived in all, and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (Received.Count < count)
            {
                await _arrivals.Reader.WaitToReadAsync(deadline.Token);
                _arrivals.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Expected {count} webhooks at {Url}, got {Received.Count}.");
        }

        await _contract.AssertNoneAsync();
        return Received.Take(count).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _closing.Dispose();
        await _contract.AssertNoneAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var open = Interlocked.Increment(ref _open);
        InterlockedMax(ref _maxOpen, open);
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = new HeaderDictionary();
            foreach (var (name, value) in context.Request.Headers)
            {
                headers[name] = value;
            }

            var received = new ReceivedWebhook(context.Request.Method, context.Request.Path, headers, Encoding.UTF8.GetString(body.ToArray()), DateTimeOffset.UtcNow);
            lock (_received)
            {
                _received.Add(received);
            }

            _arrivals.Writer.TryWrite(received);
            _contract.Judge(received.Header("webhook-id"), received.Body);
            Func<HttpContext, CancellationToken, Task> answer;
            lock (_script)
            {
                answer = _script.Count > 0 ? _script.Dequeue() : _default;
            }

            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token, context.RequestAborted);
            try
            {
                await answer(context, aborted.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

/// <summary>One request as the consumer saw it.</summary>
public sealed record ReceivedWebhook(string Method, string Path, IHeaderDictionary Headers, string Body, DateTimeOffset ReceivedAt)
{
    public string Header(string name) => Headers[name].ToString();
}
