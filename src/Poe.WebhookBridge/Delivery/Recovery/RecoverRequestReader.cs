using System.Buffers;
using System.Text.Json;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Delivery.Recovery;

/// <summary>Reads the recover body field by field, so every wrong field comes back named in one validation problem.</summary>
internal static class RecoverRequestReader
{
    private static readonly HashSet<string> KnownFields = ["since", "until", "endpoint"];

    // Unix seconds a DateTimeOffset can hold.
    private static readonly long MaxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static (RecoverRequest? Request, Dictionary<string, string[]> Errors) Read(JsonElement root)
    {
        var errors = JsonObjectFields.Check(root, KnownFields);
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, errors);
        }

        var since = ReadSeconds(root, "since", required: true, errors);
        var until = ReadSeconds(root, "until", required: false, errors);
        var endpoint = ReadEndpoint(root, errors);
        if (since is not null && until is not null && since > until)
        {
            errors["until"] = ["Must not be before 'since'."];
        }

        return errors.Count == 0 ? (new RecoverRequest(since!.Value, until, endpoint), errors) : (null, errors);
    }

    private static long? ReadSeconds(JsonElement root, string name, bool required, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[name] = ["Required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds < 0 || seconds > MaxSeconds)
        {
            errors[name] = ["Must be a Unix time in whole seconds."];
            return null;
        }

        return seconds;
    }

    private static readonly SearchValues<char> IdCharacters = SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyz");

    private static string? ReadEndpoint(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("endpoint", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // The shape of the ids the bridge hands out (ep_ and lowercase letters and digits): anything else cannot name an
        // endpoint, so it is a malformed request (400), while a well-formed id no endpoint of the client has is 404.
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 3 and <= 64 } id
            || !id.StartsWith("ep_", StringComparison.Ordinal) || id.AsSpan(3).ContainsAnyExcept(IdCharacters))
        {
            errors["endpoint"] = ["Must be an endpoint id (ep_…)."];
            return null;
        }

        return id;
    }
}
