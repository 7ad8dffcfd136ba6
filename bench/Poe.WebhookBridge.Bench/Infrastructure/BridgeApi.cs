using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Poe.WebhookBridge.Bench.Infrastructure;

/// <summary>A consumer app of the bridge: registers watches with the bench client's key.</summary>
public sealed class BridgeApi : IDisposable
{
    private readonly HttpClient _http;

    public BridgeApi(Uri bridge)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = bridge, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BridgeProcess.ClientKey);
    }

    public async Task<HttpResponseMessage> TryRegisterAsync(string videoId, Uri callback, CancellationToken cancellationToken = default) =>
        await _http.PostAsJsonAsync("/v1/watches", new { video_id = videoId, callback_url = callback.ToString() }, cancellationToken);

    public async Task RegisterAsync(string videoId, Uri callback, CancellationToken cancellationToken = default)
    {
        using var response = await TryRegisterAsync(videoId, callback, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /v1/watches answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public void Dispose() => _http.Dispose();
}
