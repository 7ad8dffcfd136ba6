using System.Text.Json;
using System.Text.RegularExpressions;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// Parses the create body field by field, so unknown fields, wrong types and every rule of SPEC §2 come back as one
/// validation problem naming each field, instead of a serializer exception.
/// </summary>
internal static partial class CreateWatchRequestReader
{
    public const int MaxCallbackUrlLength = 2048;
    private const int MaxMetadataPairs = 16;
    private const int MaxMetadataKeyLength = 64;
    private const int MaxMetadataValueLength = 512;

    /// <summary>The fields that describe the watch itself, whatever else the body carries.</summary>
    public static readonly string[] WatchFieldNames = ["callback_url", "events", "metadata"];
    private static readonly HashSet<string> KnownFields = ["video_id", .. WatchFieldNames];

    public static (CreateWatchRequest? Request, Dictionary<string, string[]> Errors) Read(JsonElement root)
    {
        var errors = JsonObjectFields.Check(root, KnownFields);
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, errors);
        }

        var videoId = ReadVideoId(root, errors);
        var fields = ReadWatchFields(root, errors);
        return errors.Count == 0 ? (fields with { VideoId = videoId! }, errors) : (null, errors);
    }

    /// <summary>
    /// The watch's own fields (<c>callback_url</c>, <c>events</c>, <c>metadata</c>) by the rules of SPEC §2, for every
    /// endpoint that registers a watch; the video id is left empty for the caller to fill.
    /// </summary>
    public static CreateWatchRequest ReadWatchFields(JsonElement root, Dictionary<string, string[]> errors) =>
        new(string.Empty, ReadString(root, "callback_url", errors)!, ReadEvents(root, errors), ReadMetadata(root, errors));

    /// <summary>The callback URL when the body carries one as a string, so it is checked even when other fields are wrong.</summary>
    public static string? CallbackUrlOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("callback_url", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? ReadVideoId(JsonElement root, Dictionary<string, string[]> errors)
    {
        var videoId = ReadString(root, "video_id", errors);
        if (videoId is not null && !VideoIdPattern().IsMatch(videoId))
        {
            errors["video_id"] = ["Must be 1-200 characters of [A-Za-z0-9._:-], starting with a letter or digit."];
            return null;
        }

        return videoId;
    }

    private static string? ReadString(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors[name] = ["Required."];
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = ["Must be a string."];
            return null;
        }

        return value.GetString();
    }

    private static string[]? ReadEvents(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("events", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            errors["events"] = ["Must be a non-empty array of event types."];
            return null;
        }

        var events = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var type = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (type is null || !WatchEventTypes.Subscribable.Contains(type))
            {
                errors["events"] = [$"Each event must be one of: {string.Join(", ", WatchEventTypes.Subscribable)}."];
                return null;
            }

            if (!events.Contains(type))
            {
                events.Add(type);
            }
        }

        return [.. events];
    }

    private static Dictionary<string, string>? ReadMetadata(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("metadata", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors["metadata"] = ["Must be an object of string values."];
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in value.EnumerateObject())
        {
            if (pair.Name.Length is 0 or > MaxMetadataKeyLength || pair.Value.ValueKind != JsonValueKind.String
                || pair.Value.GetString()!.Length > MaxMetadataValueLength || !metadata.TryAdd(pair.Name, pair.Value.GetString()!))
            {
                errors["metadata"] = [$"Keys must be unique, 1-{MaxMetadataKeyLength} characters; values strings of at most {MaxMetadataValueLength} characters."];
                return null;
            }
        }

        if (metadata.Count > MaxMetadataPairs)
        {
            errors["metadata"] = [$"At most {MaxMetadataPairs} pairs."];
            return null;
        }

        return metadata;
    }

    // \z, not $: in .NET, $ also matches before a final newline, which would let "video_1\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}\z")]
    private static partial Regex VideoIdPattern();
}
