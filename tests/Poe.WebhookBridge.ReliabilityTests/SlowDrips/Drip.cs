using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Poe.WebhookBridge.ReliabilityTests.SlowDrips;

/// <summary>
/// An answer that sends its status and headers at once, then its body one byte a second for a minute, and records how
/// long each exchange stayed open: until the bridge hung up, which the server sees as the request being aborted.
/// </summary>
public sealed class Drip
{
    private static readonly TimeSpan Length = TimeSpan.FromMinutes(1);
    private readonly ConcurrentBag<TimeSpan> _exchanges = [];

    /// <summary>How long each finished exchange was open, from the request to the bridge hanging up.</summary>
    public IReadOnlyList<TimeSpan> Exchanges => [.. _exchanges];

    public async Task AnswerAsync(HttpContext context, int statusCode, string body, CancellationToken closing)
    {
        var started = Stopwatch.GetTimestamp();
        var finished = false;
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, closing);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.StartAsync(aborted.Token);
            var padded = body.PadRight((int)Length.TotalSeconds, ' ');
            foreach (var character in padded)
            {
                await context.Response.WriteAsync(character.ToString(), aborted.Token);
                await context.Response.Body.FlushAsync(aborted.Token);
                await Task.Delay(TimeSpan.FromSeconds(1), aborted.Token);
            }

            finished = true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }

        // A drip that ran to its end is recorded too (the bridge never hung up); one cut by the test's end is not.
        if (finished || context.RequestAborted.IsCancellationRequested)
        {
            _exchanges.Add(Stopwatch.GetElapsedTime(started));
        }
    }
}
