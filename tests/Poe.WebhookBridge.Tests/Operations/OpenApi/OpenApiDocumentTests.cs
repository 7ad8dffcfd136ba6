using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Tests.Support.Contract;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Tests.Operations.OpenApi;

/// <summary>SPEC §9 as a consumer reads <c>/openapi/v1.json</c>: valid, secured, complete, its webhooks and examples included.</summary>
public sealed class OpenApiDocumentTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task A_standard_OpenAPI_validator_finds_nothing_wrong_with_the_document()
    {
        var json = await ServedAsync();

        var result = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());

        var diagnostic = result.Diagnostic!;
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.True(diagnostic.Errors.Count == 0, "Errors: " + string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(diagnostic.Warnings.Count == 0, "Warnings: " + string.Join("; ", diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}")));
        var ruleErrors = result.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(ruleErrors.Count == 0, "Rule violations: " + string.Join("; ", ruleErrors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.NotNull(result.Document!.Webhooks);
    }

    [Fact]
    public async Task Every_request_and_response_body_has_an_example_its_own_schema_accepts()
    {
        var document = new ContractDocument(await ServedAsync());

        var examples = document.CheckExamples().ToList();

        Assert.NotEmpty(examples);
        Assert.All(examples, e => Assert.True(e.Errors.Count == 0, $"{e.Where}: {string.Join("; ", e.Errors)}"));
    }

    [Fact]
    public async Task Every_v1_operation_asks_for_the_bearer_key_and_declares_401_and_503_and_404_for_an_id()
    {
        using var json = JsonDocument.Parse(await ServedAsync());
        var root = json.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var operations = root.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Name: $"{o.Name} {p.Name}", Path: p.Name, Operation: o.Value))).ToList();
        Assert.NotEmpty(operations);
        foreach (var (name, path, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("security", out var security) && security[0].TryGetProperty("bearer", out _), $"{name} has no bearer requirement");
            var statuses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.Contains("401", statuses);
            Assert.Contains("503", statuses);
            Assert.True(!path.Contains('{', StringComparison.Ordinal) || statuses.Contains("404"), $"{name} takes an id but declares no 404");
        }
    }

    [Fact]
    public async Task The_webhooks_map_describes_every_event_type_with_its_payload_headers_and_answers()
    {
        using var json = JsonDocument.Parse(await ServedAsync());

        var webhooks = json.RootElement.GetProperty("webhooks");

        Assert.Equal(WatchEventTypes.All.Order(StringComparer.Ordinal), webhooks.EnumerateObject().Select(w => w.Name).Order(StringComparer.Ordinal));
        foreach (var webhook in webhooks.EnumerateObject())
        {
            var post = webhook.Value.GetProperty("post");
            var headers = post.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString());
            Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"], headers);
            Assert.True(post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
            Assert.Equal(["2XX", "410", "default"], post.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        }
    }

    private async Task<string> ServedAsync()
    {
        using var anonymous = Bridge.ClientFor(apiKey: null);
        return await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
    }
}
