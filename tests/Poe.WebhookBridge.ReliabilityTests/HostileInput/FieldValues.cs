using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>
/// Values that break a field's schema, as raw JSON (so that lone surrogates and numbers beyond any type can be
/// written): wrong type, null where not nullable, empty, too long, control characters, unicode edge cases,
/// injection strings and huge numbers. None is a valid video id, URL, Unix time, endpoint id or event type.
/// </summary>
public static class FieldValues
{
    private static readonly string[] Strings =
    [
        "a\u0000b", "a\u0007b", "line\r\nX-Injected: 1", "\u001b[31mred", "\t",
        "\uFEFF", "\u202Eevil", "😀", "ｖｉｄｅｏ", "e\u0301", "\u200B",
        "' OR '1'='1", "\"; DROP TABLE bridge.watches;--", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}",
        "../../etc/passwd", "{\"$ne\":null}", "%00",
    ];

    private static readonly string[] Numbers = ["1e999999", new string('9', 400), "-1", "1.5", "-0.0"];

    public static IEnumerable<(string Label, string Json)> For(JsonObject schema)
    {
        var types = Types(schema);
        if (!types.Contains("null"))
        {
            yield return ("null", "null");
        }

        foreach (var wrong in new[] { ("number", "42", "integer"), ("boolean", "true", "boolean"), ("object", "{}", "object"), ("array", "[]", "array"), ("string", "\"x\"", "string") })
        {
            if (!types.Contains(wrong.Item3) && !(wrong.Item3 == "integer" && types.Contains("number")))
            {
                yield return ($"wrong type {wrong.Item1}", wrong.Item2);
            }
        }

        if (types.Contains("array"))
        {
            yield return ("empty array", "[]");
            foreach (var (label, json) in For(schema["items"]?.AsObject() ?? []))
            {
                yield return ($"item {label}", $"[{json}]");
            }

            yield break;
        }

        if (types.Contains("object"))
        {
            foreach (var (label, json) in ObjectValues(schema))
            {
                yield return (label, json);
            }

            yield break;
        }

        if (types.Contains("string") || types.Contains("integer"))
        {
            yield return ("empty", "\"\"");
            var max = schema["maxLength"]?.GetValue<int>() ?? 10_000;
            yield return ($"{max + 1} chars", Quote(new string('a', max + 1)));
            yield return ("lone surrogate", "\"a\\uD800b\"");
            foreach (var text in Strings)
            {
                yield return ($"string {Quote(text)}", Quote(text));
            }

            foreach (var number in types.Contains("integer") ? Numbers : Numbers.Take(2))
            {
                yield return ($"number {number[..Math.Min(number.Length, 12)]}", number);
            }
        }
    }

    /// <summary>An object of string values (like metadata): wrong values, too long keys and values, too many pairs.</summary>
    private static IEnumerable<(string, string)> ObjectValues(JsonObject schema)
    {
        if (schema["additionalProperties"] is not JsonObject values)
        {
            yield break;
        }

        foreach (var (label, json) in For(values).Where(v => v.Label.StartsWith("wrong", StringComparison.Ordinal) || v.Label == "null"))
        {
            yield return ($"value {label}", $"{{\"k\":{json}}}");
        }

        yield return ("value of 513 chars", $"{{\"k\":{Quote(new string('x', 513))}}}");
        yield return ("key of 65 chars", $"{{{Quote(new string('k', 65))}:\"v\"}}");
        yield return ("17 pairs", "{" + string.Join(',', Enumerable.Range(0, 17).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"k{i}\":\"v\""))) + "}");
    }

    public static HashSet<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray many => [.. many.Select(t => (string)t!)],
        JsonValue one => [(string)one!],
        _ => [],
    };

    public static string Quote(string text) => JsonSerializer.Serialize(text);
}
