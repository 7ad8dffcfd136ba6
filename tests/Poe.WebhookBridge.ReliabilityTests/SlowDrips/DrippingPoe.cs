using System.Net;
using Microsoft.AspNetCore.Http;
using Poe.Simulator;
using Poe.WebhookBridge.Tests.Delivery;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.ReliabilityTests.SlowDrips;

/// <summary>
/// Poe as the bridge sees it: videos whose id starts with <c>drip_</c> answer 200 with a body that drips (see
/// <see cref="Drip"/>); every other request is passed to the simulator and its answer returned unchanged.
/// </summary>
public sealed class DrippingPoe : IAsyncDisposable
{
    private readonly HttpClient _simulator;
    private WebhookReceiver? _server;

    private DrippingPoe(InProcessSimulator simulator) => _simulator = new HttpClient { BaseAddress = simulator.BaseUrl };

    public Drip Drip { get; } = new();

    public Uri BaseUrl => new($"http://{_server!.Host}:{_server.Port}/");

    public static async Task<DrippingPoe> StartAsync(InProcessSimulator simulator)
    {
        var poe = new DrippingPoe(simulator);
        poe._server = await WebhookReceiver.StartAsync(IPAddress.Loopback, poe.AnswerAsync);
        return poe;
    }

    private async Task AnswerAsync(HttpContext context, CancellationToken closing)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.Contains("/drip_", StringComparison.Ordinal))
        {
            var id = path[(path.LastIndexOf('/') + 1)..];
            await Drip.AnswerAsync(context, 200, $$"""{"id":"{{id}}","object":"video","status":"in_progress","progress":50}""", closing);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), path.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        using var answer = await _simulator.SendAsync(request, closing);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers).Where(h => h.Key != "Transfer-Encoding"))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        await context.Response.Body.WriteAsync(await answer.Content.ReadAsByteArrayAsync(closing), closing);
    }

    public async ValueTask DisposeAsync()
    {
        _simulator.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
