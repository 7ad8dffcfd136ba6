using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Poe.WebhookBridge.ReliabilityTests.Support;
using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>
/// SPEC §2 against hostile input generated from the OpenAPI document the bridge serves, with private networks not
/// allowed: every case gets its one exact status with an <c>application/problem+json</c> body, no row of the bridge
/// tables changes (full contents compared), and no delivery reaches a forbidden address (the receiver listens on
/// loopback at the port every forbidden URL names, so a delivery that slipped through would be seen).
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    /// <summary>A valid body per operation that takes one, which the cases then break one thing at a time.</summary>
    private static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["POST /v1/watches"] = """{"video_id":"video_hostile","callback_url":"https://93.184.215.14/h","events":["video.completed"],"metadata":{"order":"42"}}""",
        ["POST /v1/events/recover"] = """{"since":1764440000,"until":1764450000}""",
        ["POST /v1/videos"] = """{"model":"Sora-2","prompt":"a cat","seconds":4,"size":"1280x720","callback_url":"https://93.184.215.14/h"}""",
        ["POST /v1/videos/{video_id}/remix"] = """{"prompt":"a dog","callback_url":"https://93.184.215.14/h"}""",
        ["POST /v1/videos/extensions"] = """{"video":{"id":"video_hostile"},"prompt":"more","callback_url":"https://93.184.215.14/h"}""",
    };

    [Fact]
    public async Task Hostile_requests_from_the_OpenAPI_document_get_their_exact_problem_and_change_no_row()
    {
        await using var cluster = await BridgeCluster.StartAsync("hostile", size: 1, configure: s => s["Webhooks:AllowPrivateNetworks"] = "false");
        using var api = cluster.Api();
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress, Timeout = api.Timeout };
        var watchId = await SeedCancelledWatchAsync(api);
        var before = await RowSnapshot.TakeAsync(cluster);

        var operations = await OpenApiDocument.ReadAsync(anonymous);
        var cases = new List<HostileCase>(ForbiddenCallbacks(cluster.Receiver.Port));
        var watchFields = operations.Single(o => o.Label == "POST /v1/watches").Body!["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var operation in operations)
        {
            cases.AddRange(RequestCases.For(operation, watchId));
            if (operation.Body is not null)
            {
                Assert.True(ValidBodies.TryGetValue(operation.Label, out var valid), $"No valid body is known for {operation.Label}: add one to ValidBodies.");
                var body = JsonNode.Parse(valid)!.AsObject();
                // The gateway (/v1/videos…) judges only the watch fields and passes the rest to Poe (SPEC §10).
                var judged = operation.Path.StartsWith("/v1/videos", StringComparison.Ordinal)
                    ? watchFields
                    : operation.Body["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
                cases.AddRange(BodyCases.For(operation, operation.PathWith(watchId), body, judged));
            }
        }

        foreach (var path in operations.GroupBy(o => o.Path))
        {
            cases.AddRange(RequestCases.Verbs([.. path], watchId));
        }

        var failures = new List<string>();
        foreach (var hostile in cases)
        {
            using var request = hostile.Build();
            if (hostile.Authenticated)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cluster.Client.ApiKey);
            }

            using var response = await anonymous.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != hostile.Expected || !IsProblem(response, body))
            {
                failures.Add($"{hostile.Label}: expected {(int)hostile.Expected}, got {(int)response.StatusCode} {response.Content.Headers.ContentType} {body[..Math.Min(body.Length, 200)]}");
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // a delivery that slipped through would start within a second
        var changed = (await RowSnapshot.TakeAsync(cluster)).Except(before).ToList();
        Summary.Report(output, $"hostile input: operations={operations.Count} cases={cases.Count} wrong answers={failures.Count} rows changed={changed.Count} deliveries to forbidden addresses={cluster.Receiver.Received.Count}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases:\n" + string.Join('\n', failures));
        Assert.True(changed.Count == 0, string.Join('\n', changed));
        Assert.Empty(cluster.Receiver.Received);
    }

    /// <summary>A watch with an idempotency record and an endpoint, cancelled so that no poll changes its row.</summary>
    private static async Task<string> SeedCancelledWatchAsync(HttpClient api)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/watches") { Content = new StringContent(ValidBodies["POST /v1/watches"], Encoding.UTF8, "application/json") };
        create.Headers.Add("Idempotency-Key", "hostile-seed");
        using var created = await api.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var cancelled = await api.DeleteAsync(new Uri($"/v1/watches/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        return id;
    }

    private static bool IsProblem(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return false;
        }

        using var problem = JsonDocument.Parse(body);
        return problem.RootElement.TryGetProperty("status", out var status) && status.GetInt32() == (int)response.StatusCode
            && problem.RootElement.TryGetProperty("title", out _);
    }

    /// <summary>Callback URLs that name a non-public address, however spelled, or are no absolute https URL: 400.</summary>
    private static IEnumerable<HostileCase> ForbiddenCallbacks(int port) =>
        new[]
        {
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
        }.Select(url => new HostileCase(
            $"callback {url[..Math.Min(url.Length, 60)]}",
            HttpStatusCode.BadRequest,
            () => new HttpRequestMessage(HttpMethod.Post, "/v1/watches") { Content = new StringContent(JsonSerializer.Serialize(new { video_id = "video_ssrf", callback_url = url }), Encoding.UTF8, "application/json") }));
}
