using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>
/// Hostile bodies for an operation that takes JSON: each field of its schema in turn gets every value of
/// <see cref="FieldValues"/> in an otherwise valid body (400), required fields go missing (400), and the body as a
/// whole is malformed (400), too large (413) or not JSON (415), as SPEC §2 lists.
/// </summary>
public static class BodyCases
{
    /// <param name="judged">The fields the bridge itself judges; the gateway passes Poe's own fields, and any field it
    /// does not know, to Poe as written (SPEC §10), so only its watch fields get cases, and no unknown field does.</param>
    public static IEnumerable<HostileCase> For(ApiOperation operation, string path, JsonObject valid, IReadOnlySet<string> judged)
    {
        var schema = operation.Body!;
        var properties = schema["properties"]?.AsObject() ?? [];
        var passesUnknownFields = properties.Any(p => !judged.Contains(p.Key));
        foreach (var (field, fieldSchema) in properties.Where(p => judged.Contains(p.Key)))
        {
            foreach (var (label, json) in FieldValues.For(fieldSchema!.AsObject()))
            {
                yield return Case($"{field}: {label}", HttpStatusCode.BadRequest, With(valid, field, json));
            }

            // Required in the document but nullable means "may be left out" for the serializer; only the others are truly required.
            if (schema["required"]?.AsArray().Any(r => (string?)r == field) == true && !FieldValues.Types(fieldSchema.AsObject()).Contains("null"))
            {
                var without = valid.DeepClone().AsObject();
                without.Remove(field);
                yield return Case($"{field}: missing", HttpStatusCode.BadRequest, without.ToJsonString());
            }

            if (valid.ContainsKey(field))
            {
                yield return Case($"{field}: duplicated key", HttpStatusCode.BadRequest, valid.ToJsonString().TrimEnd('}') + $",\"{field}\":{valid[field]?.ToJsonString() ?? "null"}}}");
            }
        }

        var text = valid.ToJsonString();
        foreach (var (label, json) in Malformed(text))
        {
            yield return Case(label, HttpStatusCode.BadRequest, json);
        }

        if (!passesUnknownFields)
        {
            yield return Case("unknown field", HttpStatusCode.BadRequest, text.TrimEnd('}') + ",\"admin\":true}");
        }

        yield return Case("70 KiB", HttpStatusCode.RequestEntityTooLarge, text.TrimEnd('}') + $",\"padding\":\"{new string('x', 70_000)}\"}}");
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x" })
        {
            yield return Case($"content type {type}", HttpStatusCode.UnsupportedMediaType, text, type);
        }

        yield return Case("no content type", HttpStatusCode.UnsupportedMediaType, text, null);
        yield return new HostileCase($"{operation.Label} invalid UTF-8", HttpStatusCode.BadRequest, () => Request(operation, path, [.. "{\"x\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8], "application/json"));

        HostileCase Case(string label, HttpStatusCode expected, string body, string? type = "application/json") =>
            new($"{operation.Label} body {label}", expected, () => Request(operation, path, Encoding.UTF8.GetBytes(body), type));
    }

    private static IEnumerable<(string, string)> Malformed(string valid)
    {
        foreach (var top in new[] { "", "null", "[]", "\"x\"", "42", "true", "{", "}", "{}}", "{\"a\" 1}", "{'a':1}", "{\"a\":1,}" })
        {
            yield return ($"top level {top}", top);
        }

        foreach (var fraction in new[] { 1, 3, 5, 7, 9 })
        {
            yield return ($"truncated at {fraction}/10", valid[..(valid.Length * fraction / 10)]);
        }

        yield return ("deep array nesting", valid.TrimEnd('}') + ",\"deep\":" + new string('[', 10_000) + new string(']', 10_000) + "}");
        yield return ("deep object nesting", valid.TrimEnd('}') + ",\"deep\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000) + "}");
    }

    /// <summary>The valid body with <paramref name="field"/> set to <paramref name="json"/> (added when absent).</summary>
    private static string With(JsonObject valid, string field, string json)
    {
        var others = valid.Where(p => p.Key != field).Select(p => $"{FieldValues.Quote(p.Key)}:{p.Value?.ToJsonString() ?? "null"}");
        return "{" + string.Join(',', others.Append($"{FieldValues.Quote(field)}:{json}")) + "}";
    }

    public static HttpRequestMessage Request(ApiOperation operation, string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return new HttpRequestMessage(new HttpMethod(operation.Method), path) { Content = content };
    }
}
