using System.Text.Json.Nodes;

namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>Reads the operations of the document the bridge serves at <c>/openapi/v1.json</c>, so that every
/// operation, parameter and body field it documents gets hostile cases, including ones added later.</summary>
public static class OpenApiDocument
{
    public static async Task<IReadOnlyList<ApiOperation>> ReadAsync(HttpClient api)
    {
        var document = JsonNode.Parse(await api.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!.AsObject();
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key != "parameters"))
            {
                var parameters = operation!["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
                var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                operations.Add(new ApiOperation(
                    method.ToUpperInvariant(),
                    path,
                    [.. parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!)],
                    [.. parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!)],
                    schema is null ? null : Resolve(document, schema).AsObject()));
            }
        }

        return operations;
    }

    /// <summary>The schema with <c>$ref</c>s replaced by what they name, recursively.</summary>
    private static JsonNode Resolve(JsonObject document, JsonNode schema)
    {
        if (schema is JsonObject reference && reference["$ref"] is { } target)
        {
            var node = ((string)target!).TrimStart('#', '/').Split('/').Aggregate((JsonNode)document, (n, part) => n[part]!);
            return Resolve(document, node);
        }

        if (schema is JsonObject obj)
        {
            return new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Resolve(document, p.Value))));
        }

        return schema is JsonArray array ? new JsonArray([.. array.Select(n => n is null ? null : Resolve(document, n))]) : schema.DeepClone();
    }
}
