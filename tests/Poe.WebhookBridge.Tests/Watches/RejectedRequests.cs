using System.Net;
using System.Text;
using Poe.WebhookBridge.Tests.Support;
using static System.Net.HttpStatusCode;

namespace Poe.WebhookBridge.Tests.Watches;

/// <summary>Every kind of bad request the API must refuse, each with the problem it gets (SPEC §2).</summary>
public static class RejectedRequests
{
    private const string Url = "https://app.example/hooks/poe";
    private static readonly string Metadata17 = string.Join(',', Enumerable.Range(1, 17).Select(i => $"\"k{i}\":\"v\""));

    public static readonly Dictionary<string, Rejection> All = new()
    {
        ["video_id missing"] = Body($$"""{"callback_url":"{{Url}}"}""", "video_id"),
        ["video_id null"] = Body($$"""{"video_id":null,"callback_url":"{{Url}}"}""", "video_id"),
        ["video_id empty"] = Body($$"""{"video_id":"","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id blank"] = Body($$"""{"video_id":"   ","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id 201 chars"] = Body($$"""{"video_id":"{{new string('v', 201)}}","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id with a slash"] = Body($$"""{"video_id":"video/123","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id with a space"] = Body($$"""{"video_id":"video 123","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id non-ASCII"] = Body($$"""{"video_id":"vidéo","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id with a trailing newline"] = Body($$"""{"video_id":"video_1\n","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id leading dot"] = Body($$"""{"video_id":".video","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id leading dash"] = Body($$"""{"video_id":"-video","callback_url":"{{Url}}"}""", "video_id"),
        ["video_id a number"] = Body($$"""{"video_id":123,"callback_url":"{{Url}}"}""", "video_id"),
        ["callback_url missing"] = Body("""{"video_id":"video_1"}""", "callback_url"),
        ["callback_url a number"] = Body("""{"video_id":"video_1","callback_url":42}""", "callback_url"),
        ["callback_url relative"] = Body("""{"video_id":"video_1","callback_url":"/hooks/poe"}""", "callback_url"),
        ["callback_url ftp"] = Body("""{"video_id":"video_1","callback_url":"ftp://app.example/hooks"}""", "callback_url"),
        ["callback_url with user-info"] = Body("""{"video_id":"video_1","callback_url":"https://user:secret@app.example/hooks"}""", "callback_url"),
        ["callback_url 2049 chars"] = Body($$"""{"video_id":"video_1","callback_url":"https://app.example/{{new string('p', 2049 - 20)}}"}""", "callback_url"),
        ["callback_url http without AllowHttp"] = Strict("http://app.example/hooks"),
        ["callback_url loopback"] = Strict("https://127.0.0.1/hooks"),
        ["callback_url IPv6 loopback"] = Strict("https://[::1]/hooks"),
        ["callback_url private"] = Strict("https://10.1.2.3/hooks"),
        ["callback_url link-local"] = Strict("https://169.254.169.254/latest/meta-data"),
        ["callback_url IPv4-mapped IPv6"] = Strict("https://[::ffff:127.0.0.1]/hooks"),
        ["callback_url decimal IP"] = Strict("https://2130706433/"),
        ["callback_url localhost"] = Strict("https://localhost/hooks"),
        ["events empty"] = Body($$"""{"video_id":"video_1","callback_url":"{{Url}}","events":[]}""", "events"),
        ["events unknown"] = Body($$"""{"video_id":"video_1","callback_url":"{{Url}}","events":["video.deleted"]}""", "events"),
        ["events not an array"] = Body($$"""{"video_id":"video_1","callback_url":"{{Url}}","events":"video.completed"}""", "events"),
        ["events with a number"] = Body($$"""{"video_id":"video_1","callback_url":"{{Url}}","events":[1]}""", "events"),
        ["metadata not an object"] = Body($$"""{"video_id":"video_1","callback_url":"{{Url}}","metadata":["a"]}""", "metadata"),
        ["metadata 17 pairs"] = Body(With("\"metadata\":{" + Metadata17 + "}"), "metadata"),
        ["metadata key 65 chars"] = Body(With("\"metadata\":{" + Json(new string('k', 65)) + ":\"v\"}"), "metadata"),
        ["metadata value 513 chars"] = Body(With("\"metadata\":{\"k\":" + Json(new string('v', 513)) + "}"), "metadata"),
        ["metadata value a number"] = Body(With("\"metadata\":{\"k\":1}"), "metadata"),
        ["unknown field"] = Body($$"""{"video_id":"video_1","callback_url":"{{Url}}","colour":"red"}""", "colour"),
        ["malformed JSON"] = Body("""{"video_id":"video_1",""", field: null),
        ["JSON array body"] = Body($$"""[{"video_id":"video_1","callback_url":"{{Url}}"}]""", field: null),
        ["JSON string body"] = Body("\"video_1\"", field: null),
        ["duplicate property"] = Body($$"""{"video_id":"video_1","video_id":"video_2","callback_url":"{{Url}}"}""", field: null),
        ["body over 64 KiB"] = new(RequestEntityTooLarge, null, c => Post(c, Http.Json(With("\"metadata\":{\"k\":" + Json(new string('x', 65 * 1024)) + "}")))),
        ["text/plain body"] = new(UnsupportedMediaType, null, c => Post(c, new StringContent(Http.WatchBody("video_1"), Encoding.UTF8, "text/plain"))),
        ["no content type"] = new(UnsupportedMediaType, null, c => Post(c, new ByteArrayContent(Encoding.UTF8.GetBytes(Http.WatchBody("video_1"))))),
        ["no bearer key"] = new(Unauthorized, null, c => c.SendAsync(HttpMethod.Post, "/v1/watches", Http.Json(Http.WatchBody("video_1")), apiKey: RejectionContext.Anonymous)),
        ["unknown bearer key"] = new(Unauthorized, null, c => c.SendAsync(HttpMethod.Get, "/v1/watches", apiKey: "not_a_known_key_0000000000")),
        ["Idempotency-Key over 255 chars"] = new(BadRequest, "Idempotency-Key", c => Post(c, Http.Json(Http.WatchBody("video_1")), new string('k', 256))),
        ["Idempotency-Key reused with another body"] = new(UnprocessableEntity, null, c => Post(c, Http.Json(Http.WatchBody("video_2")), "key-1"))
        {
            Arrange = async c => (await Post(c, Http.Json(Http.WatchBody("video_1")), "key-1")).Dispose(),
        },
        ["list limit 0"] = Get("/v1/watches?limit=0", BadRequest, "limit"),
        ["list limit 101"] = Get("/v1/watches?limit=101", BadRequest, "limit"),
        ["list limit not a number"] = Get("/v1/watches?limit=ten", BadRequest, "limit"),
        ["list unknown status"] = Get("/v1/watches?status=done", BadRequest, "status"),
        ["list after an unknown watch"] = Get("/v1/watches?after=watch_doesnotexist", BadRequest, "after"),
        ["list after another client's watch"] = new(BadRequest, "after", c => c.SendAsync(HttpMethod.Get, $"/v1/watches?after={c.StudioWatchId}")),
        ["GET an unknown watch"] = Get("/v1/watches/watch_doesnotexist", NotFound),
        ["DELETE an unknown watch"] = new(NotFound, null, c => c.SendAsync(HttpMethod.Delete, "/v1/watches/watch_doesnotexist")),
        ["events of an unknown watch"] = Get("/v1/watches/watch_doesnotexist/events", NotFound),
        ["GET another client's watch"] = new(NotFound, null, c => c.SendAsync(HttpMethod.Get, $"/v1/watches/{c.StudioWatchId}")),
        ["DELETE another client's watch"] = new(NotFound, null, c => c.SendAsync(HttpMethod.Delete, $"/v1/watches/{c.StudioWatchId}")),
        ["events of another client's watch"] = new(NotFound, null, c => c.SendAsync(HttpMethod.Get, $"/v1/watches/{c.StudioWatchId}/events")),
    };

    public static TheoryData<string> Names() => [.. All.Keys];

    /// <summary>A valid body plus one more member (given as raw JSON).</summary>
    private static string With(string member) => $$"""{"video_id":"video_1","callback_url":"{{Url}}",""" + member + "}";

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static Rejection Body(string json, string? field) => new(BadRequest, field, c => Post(c, Http.Json(json)));

    private static Rejection Strict(string callbackUrl) =>
        new(BadRequest, "callback_url", c => c.SendAsync(HttpMethod.Post, "/v1/watches", Http.Json(Http.WatchBody("video_1", callbackUrl)), strict: true));

    private static Rejection Get(string path, HttpStatusCode status, string? field = null) => new(status, field, c => c.SendAsync(HttpMethod.Get, path));

    private static Task<HttpResponseMessage> Post(RejectionContext c, HttpContent content, string? idempotencyKey = null) =>
        c.SendAsync(HttpMethod.Post, "/v1/watches", content, idempotencyKey: idempotencyKey);
}
