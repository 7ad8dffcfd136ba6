using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Poe.WebhookBridge.Tests.Support.Contract;

/// <summary>
/// Turns a schema of the served OpenAPI document into a JSON Schema 2020-12 schema for JsonSchema.Net, an evaluator
/// that shares no code with the one that wrote the document. OpenAPI 3.1 schemas are 2020-12 schemas; only their
/// references point into the document, so the document's components travel along as <c>$defs</c>.
/// </summary>
public sealed class ContractSchemas(JsonObject components)
{
    private const string ComponentsPrefix = "#/components/schemas/";
    private readonly ConcurrentDictionary<string, JsonSchema> _built = new(StringComparer.Ordinal);

    /// <summary>The errors of <paramref name="body"/> against <paramref name="schema"/> (a node of the document); empty when valid.</summary>
    public IReadOnlyList<string> Check(JsonNode schema, string body)
    {
        JsonElement instance;
        try
        {
            using var parsed = JsonDocument.Parse(body);
            instance = parsed.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return [$"the body is not JSON: {ex.Message}"];
        }

        var evaluator = _built.GetOrAdd(schema.ToJsonString(), Build);
        var results = evaluator.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new List<string>();
        Collect(results, errors);
        return errors;
    }

    /// <summary>The errors of the failing nodes only: a oneOf branch that failed under a oneOf that held is no error.</summary>
    private static void Collect(EvaluationResults node, List<string> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        errors.AddRange(node.Errors?.Select(e => $"{node.InstanceLocation} ({node.EvaluationPath}): {e.Value}") ?? []);
        var failingChildren = (node.Details ?? []).Where(c => !c.IsValid).ToList();
        if (node.Errors is not { Count: > 0 } && failingChildren.Count == 0)
        {
            // The evaluator says why only for some keywords; a oneOf whose branches all hold fails with no message.
            errors.Add($"{node.InstanceLocation} ({node.EvaluationPath}): fails the schema there (e.g. matches more than one oneOf branch)");
        }

        foreach (var child in failingChildren)
        {
            Collect(child, errors);
        }
    }

    private JsonSchema Build(string schemaJson)
    {
        var root = JsonNode.Parse(Rebase(schemaJson))!;
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = JsonNode.Parse(Rebase(components.ToJsonString())),
            ["allOf"] = new JsonArray(root),
        };
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(wrapper.ToJsonString(), options, new Uri($"urn:bridge-contract:{Guid.NewGuid():N}"));
    }

    private static string Rebase(string json) => json.Replace($"\"{ComponentsPrefix}", "\"#/$defs/", StringComparison.Ordinal);
}
