using System.Net;
using System.Text;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>
/// SPEC §2 and §4 against hostile input, with private networks not allowed: never a 500, never a row written by a
/// rejected request, never a delivery to a forbidden address (the receiver listens on loopback at the port every
/// forbidden URL names, so a delivery that slipped through would be seen).
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Hostile_requests_get_4xx_problems_write_nothing_and_reach_no_forbidden_address()
    {
        await using var cluster = await BridgeCluster.StartAsync("hostile", size: 1, configure: s => s["Webhooks:AllowPrivateNetworks"] = "false");
        using var api = cluster.Api();
        var port = cluster.Receiver.Port;
        var failures = new List<string>();
        var cases = 0;

        async Task Expect4xx(string label, HttpRequestMessage request)
        {
            cases++;
            using (request)
            {
                using var response = await api.SendAsync(request);
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500)
                {
                    failures.Add($"{label}: {status} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        foreach (var url in ForbiddenCallbacks(port))
        {
            await Expect4xx($"callback {url}", Post(Json(new Dictionary<string, object> { ["video_id"] = "video_ssrf", ["callback_url"] = url })));
        }

        var callback = $"http://127.0.0.1:{port}/hooks";
        foreach (var (label, body) in HostileBodies(callback))
        {
            await Expect4xx($"body {label}", Post(body));
        }

        foreach (var (label, request) in HostileRequests(callback))
        {
            await Expect4xx(label, request);
        }

        var rows = await cluster.QueryAsync(
            "SELECT (SELECT count(*) FROM bridge.watches) + (SELECT count(*) FROM bridge.webhook_events) + (SELECT count(*) FROM bridge.idempotency_records)",
            r => r.GetInt64(0));
        await Task.Delay(TimeSpan.FromSeconds(3)); // a delivery that slipped through would start within a second
        Summary.Report(output, $"hostile input: cases={cases} unexpected={failures.Count} rows written={rows[0]} deliveries to forbidden addresses={cluster.Receiver.Received.Count}");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(0, rows[0]);
        Assert.Empty(cluster.Receiver.Received);
    }

    private static IEnumerable<string> ForbiddenCallbacks(int port) =>
    [
        $"http://127.0.0.1:{port}/h", $"http://2130706433:{port}/h", $"http://0177.0.0.1:{port}/h", $"http://0x7f.0.0.1:{port}/h",
        $"http://0x7f000001:{port}/h", $"http://127.1:{port}/h", $"http://127.0.0.1.:{port}/h", $"http://[::1]:{port}/h",
        $"http://[::ffff:127.0.0.1]:{port}/h", $"http://[::ffff:7f00:1]:{port}/h", $"http://[0:0:0:0:0:0:0:1]:{port}/h",
        $"http://localhost:{port}/h", $"http://localhost.:{port}/h", $"http://LOCALHOST:{port}/h", $"http://ip6-localhost:{port}/h",
        $"http://{Dns.GetHostName()}:{port}/h", $"http://0.0.0.0:{port}/h", $"http://0:{port}/h", $"http://10.0.0.1:{port}/h",
        $"http://172.16.0.1:{port}/h", $"http://192.168.1.1:{port}/h", $"http://169.254.169.254:{port}/latest/meta-data",
        $"http://100.64.0.1:{port}/h", $"http://[fe80::1]:{port}/h", $"http://[fc00::1]:{port}/h", $"http://[::]:{port}/h",
        $"http://[::ffff:10.0.0.1]:{port}/h", $"http://[64:ff9b::7f00:1]:{port}/h", $"http://127.0.0.1%2523@example.com:{port}/h",
        $"http://user:pass@example.com:{port}/h", $"ftp://127.0.0.1:{port}/h", "javascript:alert(1)", "//example.com/h", "/relative",
        "http://", "http:///h", $"http://[::1:{port}/h", "https://example.com/" + new string('a', 2100), "file:///etc/passwd",
    ];

    private static IEnumerable<(string, HttpContent)> HostileBodies(string callback)
    {
        string Valid(string videoId) => $$"""{"video_id":{{videoId}},"callback_url":"{{callback}}"}""";
        yield return ("empty", Text(""));
        yield return ("null", Text("null"));
        yield return ("array", Text("[]"));
        yield return ("string", Text("\"x\""));
        yield return ("unterminated", Text("{\"video_id\":"));
        yield return ("deep nesting", Text(new string('[', 100_00) + new string(']', 100_00)));
        yield return ("deep object", Text(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)));
        yield return ("huge number id", Text(Valid("1e999999")));
        yield return ("long integer id", Text(Valid(new string('9', 400))));
        yield return ("numeric id", Text(Valid("42")));
        yield return ("object id", Text(Valid("{\"$ne\":null}")));
        yield return ("empty id", Text(Valid("\"\"")));
        yield return ("traversal id", Text(Valid("\"../../etc/passwd\"")));
        yield return ("slash id", Text(Valid("\"a/b\"")));
        yield return ("encoded id", Text(Valid("\"%2e%2e%2f\"")));
        yield return ("NUL id", Text(Valid("\"a\\u0000b\"")));
        yield return ("newline id", Text(Valid("\"video\\n\"")));
        yield return ("unicode id", Text(Valid("\"vidéo\"")));
        yield return ("SQL id", Text(Valid("\"a' OR '1'='1\"")));
        yield return ("201-char id", Text(Valid($"\"{new string('a', 201)}\"")));
        yield return ("unknown field", Text($$"""{"video_id":"a","callback_url":"{{callback}}","admin":true}"""));
        yield return ("no callback", Text("""{"video_id":"a"}"""));
        yield return ("empty events", Text($$"""{"video_id":"a","callback_url":"https://93.184.215.14/h","events":[]}"""));
        yield return ("bogus event", Text($$"""{"video_id":"a","callback_url":"https://93.184.215.14/h","events":["video.exploded"]}"""));
        yield return ("17 metadata keys", Text("{\"video_id\":\"a\",\"callback_url\":\"https://93.184.215.14/h\",\"metadata\":{" + string.Join(',', Enumerable.Range(0, 17).Select(i => $"\"k{i}\":\"v\"")) + "}}"));
        yield return ("nested metadata", Text("""{"video_id":"a","callback_url":"https://93.184.215.14/h","metadata":{"a":{"b":"c"}}}"""));
        yield return ("numeric metadata", Text("""{"video_id":"a","callback_url":"https://93.184.215.14/h","metadata":{"a":1}}"""));
        yield return ("long metadata value", Text("{\"video_id\":\"a\",\"callback_url\":\"https://93.184.215.14/h\",\"metadata\":{\"a\":\"" + new string('x', 513) + "\"}}"));
        yield return ("invalid UTF-8", Bytes([.. "{\"video_id\":\""u8, 0xC3, 0x28, 0xFF, .. "\",\"callback_url\":\"https://93.184.215.14/h\"}"u8], "application/json"));
        yield return ("lone surrogate", Text("""{"video_id":"\uD800","callback_url":"https://93.184.215.14/h"}"""));
        yield return ("70 KiB", Text("{\"video_id\":\"a\",\"callback_url\":\"https://93.184.215.14/h\",\"metadata\":{\"a\":\"" + new string('x', 70_000) + "\"}}"));
        yield return ("text/plain", Bytes(Encoding.UTF8.GetBytes(Valid("\"a\"")), "text/plain"));
        yield return ("form", Bytes("video_id=a&callback_url=https%3A%2F%2Fexample.com"u8.ToArray(), "application/x-www-form-urlencoded"));
        yield return ("no content type", Bytes(Encoding.UTF8.GetBytes(Valid("\"a\"")), null));
        yield return ("private callback, valid otherwise", Text(Valid("\"video_ok\"")));
    }

    private static IEnumerable<(string, HttpRequestMessage)> HostileRequests(string callback)
    {
        var body = Json(new Dictionary<string, object> { ["video_id"] = "video_h", ["callback_url"] = callback });
        var longKey = Post(body);
        longKey.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 300));
        yield return ("idempotency key of 300 chars", longKey);
        var noAuth = Post(Json(new Dictionary<string, object> { ["video_id"] = "video_h", ["callback_url"] = callback }));
        noAuth.Headers.Authorization = null;
        noAuth.Headers.TryAddWithoutValidation("Authorization", "Basic " + new string('A', 8000));
        yield return ("basic auth, 8000 chars", noAuth);
        var emptyBearer = Post(Json(new Dictionary<string, object> { ["video_id"] = "video_h", ["callback_url"] = callback }));
        emptyBearer.Headers.TryAddWithoutValidation("Authorization", "Bearer");
        yield return ("empty bearer", emptyBearer);
        foreach (var path in new[]
        {
            "/v1/watches/..%2f..%2fhangfire", "/v1/watches/%00", "/v1/watches/watch_%27%20OR%201%3D1--", "/v1/watches/" + new string('w', 5000),
            "/v1/watches/%C3%28", "/v1/watches/watch_x/events/..%2f..", "/v1/watches?limit=-1", "/v1/watches?limit=1000000000000",
            "/v1/watches?limit=abc", "/v1/watches?status=exploded", "/v1/watches?after=%00", "/v1/watches?video_id=%00", "/v1/watches?limit=0",
        })
        {
            yield return ($"GET {path}", new HttpRequestMessage(HttpMethod.Get, path));
        }

        foreach (var path in new[] { "/v1/watches/..%2f", "/v1/watches/%00", "/v1/watches/watch_nope" })
        {
            yield return ($"DELETE {path}", new HttpRequestMessage(HttpMethod.Delete, path));
        }

        foreach (var path in new[] { "/v1/events/evt_nope/redeliver", "/v1/events/%2e%2e/redeliver", "/v1/events/" + new string('e', 5000) + "/redeliver" })
        {
            yield return ($"POST {path}", new HttpRequestMessage(HttpMethod.Post, path));
        }
    }

    private static HttpRequestMessage Post(HttpContent content) => new(HttpMethod.Post, "/v1/watches") { Content = content };

    private static StringContent Text(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Json(Dictionary<string, object> body) => Text(System.Text.Json.JsonSerializer.Serialize(body));

    private static ByteArrayContent Bytes(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        return content;
    }
}
