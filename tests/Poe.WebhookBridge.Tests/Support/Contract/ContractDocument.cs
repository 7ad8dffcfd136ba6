using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Poe.WebhookBridge.Tests.Support.Contract;

/// <summary>
/// The OpenAPI document as the bridge serves it, read as plain JSON: which bodies it declares for an operation's
/// answers and for the webhooks it sends. Every body a test receives is judged by it (<see cref="ContractMiddleware"/>,
/// the webhook receiver), so an endpoint or event type added later is checked without a test of its own.
/// </summary>
public sealed class ContractDocument
{
    private static readonly TaskCompletionSource<ContractDocument> Served = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly JsonObject _document;
    private readonly List<(Regex Pattern, JsonObject PathItem)> _paths;
    private readonly ContractSchemas _schemas;

    public ContractDocument(string json)
    {
        _document = JsonNode.Parse(json)!.AsObject();
        _paths = [.. (_document["paths"]?.AsObject() ?? []).Select(p => (PatternOf(p.Key), p.Value!.AsObject()))];
        _schemas = new ContractSchemas(_document["components"]?["schemas"]?.AsObject() ?? []);
        Json = json;
    }

    public string Json { get; }

    /// <summary>The document of the first bridge a test started (every instance serves the same one).</summary>
    public static Task<ContractDocument> Current => Served.Task;

    public static ContractDocument Publish(string json)
    {
        Served.TrySetResult(new ContractDocument(json));
        return Served.Task.Result;
    }

    /// <summary>Whether the document describes this request at all (health, metrics and the dashboard are outside it).</summary>
    public bool Describes(string method, string path) => OperationOf(method, path) is not null;

    /// <summary>What is wrong with this answer to a documented operation: an undeclared status or media type, or a body its schema rejects.</summary>
    public IReadOnlyList<string> CheckResponse(string method, string path, int status, string? contentType, string body)
    {
        var operation = OperationOf(method, path) ?? throw new InvalidOperationException($"{method} {path} is not in the document.");
        var responses = operation["responses"]?.AsObject();
        var response = responses?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses?[$"{status / 100}XX"] ?? responses?["default"];
        if (response is null)
        {
            return [$"status {status} is not declared (declared: {string.Join(", ", responses?.Select(r => r.Key) ?? [])})"];
        }

        return CheckBody(response["content"]?.AsObject(), contentType, body);
    }

    /// <summary>What is wrong with a webhook body: an event type the document does not list, or a body its payload schema rejects.</summary>
    public IReadOnlyList<string> CheckWebhook(string body)
    {
        string type;
        try
        {
            type = JsonNode.Parse(body)?["type"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
        }
        catch (System.Text.Json.JsonException ex)
        {
            return [$"the body is not JSON: {ex.Message}"];
        }

        var webhook = _document["webhooks"]?[type]?["post"];
        if (webhook is null)
        {
            return [$"the event type '{type}' is not in the document's webhooks"];
        }

        return CheckBody(webhook["requestBody"]?["content"]?.AsObject(), "application/json", body);
    }

    /// <summary>Every example in the document against its own schema, so the examples a reader copies are bodies the bridge would send.</summary>
    public IEnumerable<(string Where, IReadOnlyList<string> Errors)> CheckExamples()
    {
        foreach (var (where, mediaType) in MediaTypes(_document["paths"], "paths").Concat(MediaTypes(_document["webhooks"], "webhooks")))
        {
            var example = mediaType["example"];
            yield return (where, example is null ? ["no example"] : _schemas.Check(mediaType["schema"]!, example.ToJsonString()));
        }
    }

    private IReadOnlyList<string> CheckBody(JsonObject? content, string? contentType, string body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return content is null || content.Count == 0 ? [] : ["the body is empty, but the document declares one"];
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        if (content is null || mediaType is null || content[mediaType]?["schema"] is not { } schema)
        {
            return [$"a '{contentType}' body is not declared (declared: {string.Join(", ", content?.Select(c => c.Key) ?? [])})"];
        }

        // A JSON body is held to its schema; for another (a video, an image) the declared media type is the contract.
        return IsJson(mediaType) ? _schemas.Check(schema, body) : [];
    }

    private static bool IsJson(string mediaType) =>
        mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private JsonObject? OperationOf(string method, string path) =>
        _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).PathItem?[method.ToLowerInvariant()]?.AsObject();

    private static IEnumerable<(string Where, JsonObject MediaType)> MediaTypes(JsonNode? node, string where) => node switch
    {
        JsonObject o when o["schema"] is not null && where.Contains("/content/", StringComparison.Ordinal) => IsJson(where[(where.LastIndexOf("/content/", StringComparison.Ordinal) + 9)..]) ? [(where, o)] : [],
        JsonObject o => o.SelectMany(p => MediaTypes(p.Value, $"{where}/{p.Key}")),
        _ => [],
    };

    private static Regex PatternOf(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/]+?}", "[^/]+") + "$", RegexOptions.CultureInvariant);
}
