using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Tests.Support.Contract;

namespace Poe.WebhookBridge.Tests.Operations.OpenApi;

/// <summary>The check every test bridge runs on its answers can fail: it rejects what the document does not allow.</summary>
public sealed class ContractCheckTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    private const string Watch =
        """{"id":"watch_1","object":"watch","video_id":"v","callback_url":"https://a.example/h","events":["video.completed"],"metadata":{},"status":"active","video":VIDEO,"poll_count":POLLS,"last_polled_at":null,"next_poll_at":null,"created_at":1,"ended_at":null,"failure":null}""";

    [Fact]
    public async Task A_watch_body_passes_with_video_null_or_an_object_and_fails_with_a_string_poll_count()
    {
        var document = await ContractDocument.Current;

        Assert.Empty(document.CheckResponse("GET", "/v1/watches/watch_1", 200, "application/json", Body("null", "0")));
        Assert.Empty(document.CheckResponse("GET", "/v1/watches/watch_1", 200, "application/json", Body("""{"id":"v","object":"video","status":"queued","new":1}""", "0")));
        Assert.Contains(document.CheckResponse("GET", "/v1/watches/watch_1", 200, "application/json", Body("null", "\"0\"")), e => e.StartsWith("/poll_count", StringComparison.Ordinal));
        Assert.Contains(document.CheckResponse("GET", "/v1/watches/watch_1", 200, "application/json", Body("""{"id":"v","object":"video","status":"exploded"}""", "0")), e => e.StartsWith("/video", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_undeclared_status_or_media_type_and_an_unknown_event_type_are_violations()
    {
        var document = await ContractDocument.Current;

        Assert.Contains(document.CheckResponse("GET", "/v1/watches/watch_1", 418, "application/json", "{}"), e => e.Contains("418", StringComparison.Ordinal));
        Assert.NotEmpty(document.CheckResponse("GET", "/v1/watches/watch_1", 200, "text/plain", "hello"));
        Assert.NotEmpty(document.CheckWebhook("""{"id":"evt_1","object":"event","type":"video.exploded","created_at":1,"data":{"id":"v","object":"video"},"watch":{"id":"w","metadata":{}}}"""));
        Assert.Empty(document.CheckWebhook("""{"id":"evt_1","object":"event","type":"video.completed","created_at":1,"data":{"id":"v","object":"video"},"watch":{"id":"w","metadata":{}}}"""));
    }

    private static string Body(string video, string polls) => Watch.Replace("VIDEO", video, StringComparison.Ordinal).Replace("POLLS", polls, StringComparison.Ordinal);
}
