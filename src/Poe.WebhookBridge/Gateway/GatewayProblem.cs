using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// An RFC 9457 problem of the gateway: <see cref="Type"/> names what happened, <see cref="Error"/> is Poe's own error
/// object when Poe refused. A 400 may also be a validation problem of the watch fields, with <see cref="Errors"/>.
/// </summary>
public sealed record GatewayProblem
{
    [Description("What happened, e.g. poe_points_exhausted, poe_key_rejected, creation_outcome_unknown (a URI for validation problems).")]
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public string? Detail { get; init; }

    [Description("Poe's error object ({\"message\",\"type\",\"code\"}) exactly as Poe sent it; absent when the problem is the bridge's own.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Error { get; init; }

    [Description("For a 400 about the watch fields: each field and what is wrong with it, as POST /v1/watches answers.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
