using System.Text.Json;
using System.Text.RegularExpressions;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

public sealed partial class ApiReferenceTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task The_OpenAPI_document_describes_every_v1_operation()
    {
        using var anonymous = Bridge.ClientFor(apiKey: null);

        var document = await anonymous.GetJsonAsync("/openapi/v1.json");

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/watches", out var watches));
        Assert.True(paths.TryGetProperty("/v1/watches/{id}", out var watch));
        Assert.True(paths.TryGetProperty("/v1/watches/{id}/events", out var events));
        Assert.True(paths.TryGetProperty("/v1/events/{id}/redeliver", out var redeliver));
        foreach (var operation in new[] { watches.GetProperty("get"), watch.GetProperty("get"), watch.GetProperty("delete"), events.GetProperty("get"), redeliver.GetProperty("post") })
        {
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out var unauthorized));
            Assert.True(unauthorized.GetProperty("content").TryGetProperty(Http.ProblemJson, out _));
        }

        var create = watches.GetProperty("post");
        Assert.True(create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        Assert.True(create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        foreach (var status in new[] { "400", "401", "413", "415", "422" })
        {
            Assert.True(create.GetProperty("responses").TryGetProperty(status, out var problem), $"POST /v1/watches documents no {status}");
            Assert.True(problem.GetProperty("content").TryGetProperty(Http.ProblemJson, out _), $"{status} is not a problem+json response");
        }

        var watchSchema = ResolveSchema(document, create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        foreach (var field in new[] { "id", "object", "video_id", "callback_url", "events", "metadata", "status", "created_at", "ended_at" })
        {
            Assert.True(watchSchema.GetProperty("properties").TryGetProperty(field, out _), $"the watch schema has no '{field}'");
        }
    }

    [Fact]
    public async Task The_docs_page_loads_no_script_or_stylesheet_from_another_host()
    {
        using var anonymous = Bridge.ClientFor(apiKey: null);

        using var response = await GetFollowingSameOriginRedirectsAsync(anonymous, "/docs");
        var html = await response.Content.ReadAsStringAsync();

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var references = ResourceReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains(ScriptTag().Matches(html), m => m.Groups["url"].Success);
        Assert.All(references, url => Assert.False(IsOtherHost(url), $"/docs loads {url} from another host"));
        Assert.DoesNotContain("cdn.", html, StringComparison.OrdinalIgnoreCase);

        // Scalar's bundled script fetches its default fonts from Scalar's own host unless they are turned off.
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetFollowingSameOriginRedirectsAsync(HttpClient client, string path)
    {
        for (var hop = 0; ; hop++)
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            if ((int)response.StatusCode is < 300 or >= 400 || hop == 3)
            {
                return response;
            }

            path = response.Headers.Location!.OriginalString;
            response.Dispose();
            Assert.False(IsOtherHost(path), $"/docs redirects to another host: {path}");
        }
    }

    private static bool IsOtherHost(string url) =>
        url.StartsWith("//", StringComparison.Ordinal) || (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" && absolute.Host != "localhost");

    private static JsonElement ResolveSchema(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!.Split('/')[^1];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    [GeneratedRegex("""<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*["'](?<url>[^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex ResourceReference();

    [GeneratedRegex("""<script\b[^>]*?\bsrc\s*=\s*["'](?<url>[^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
