using System.Text.Json;

namespace Poe.WebhookBridge.Watches;

/// <summary>The first rules of every <c>/v1</c> body: a JSON object, with no field the operation does not know.</summary>
internal static class JsonObjectFields
{
    /// <returns>A validation error per unknown field, or one for the whole body when it is no object; empty when neither.</returns>
    public static Dictionary<string, string[]> Check(JsonElement root, IReadOnlySet<string> known)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors[""] = ["The body must be a JSON object."];
            return errors;
        }

        foreach (var property in root.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            errors[property.Name] = [$"Unknown field '{property.Name}'."];
        }

        return errors;
    }
}
