using System.Net;
using System.Text;
using System.Text.Json;

namespace Poe.WebhookBridge.Tests.Support;

public static class Http
{
    public const string ProblemJson = "application/problem+json";

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static string WatchBody(string videoId, string callbackUrl = "https://app.example/hooks/poe") =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["video_id"] = videoId, ["callback_url"] = callbackUrl });

    public static async Task<HttpResponseMessage> RegisterAsync(
        this HttpClient client, string videoId, string callbackUrl = "https://app.example/hooks/poe", string? idempotencyKey = null) =>
        await client.PostRawAsync(WatchBody(videoId, callbackUrl), idempotencyKey);

    public static async Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/watches") { Content = Json(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Registers a watch that must be created (201) and returns its id.</summary>
    public static async Task<string> CreateWatchAsync(this HttpClient client, string videoId, string callbackUrl = "https://app.example/hooks/poe")
    {
        using var response = await client.RegisterAsync(videoId, callbackUrl);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    /// <summary>Asserts an RFC 9457 problem with this status and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }
}
