using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>Registers watches as a consumer would: with an idempotency key, so a request cut by a crash can be repeated.</summary>
public static class Registrations
{
    /// <returns>The status and the watch id of an answered request; null when the request got no answer (bridge down).</returns>
    public static async Task<(HttpStatusCode Status, string? WatchId)?> TryRegisterAsync(HttpClient api, string videoId, string callbackUrl, string[]? events = null)
    {
        var body = new Dictionary<string, object> { ["video_id"] = videoId, ["callback_url"] = callbackUrl };
        if (events is not null)
        {
            body["events"] = events;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/watches") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", "register-" + videoId);
        try
        {
            using var response = await api.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            string? id = null;
            if (response.IsSuccessStatusCode)
            {
                id = JsonDocument.Parse(answer).RootElement.GetProperty("id").GetString();
            }

            return (response.StatusCode, id);
        }
        // A bridge killed mid-connect can surface as a bare SocketException ("Transport endpoint is not connected").
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException or IOException)
        {
            return null;
        }
    }
}
