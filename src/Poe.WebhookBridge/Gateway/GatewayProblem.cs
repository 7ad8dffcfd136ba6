using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Poe.WebhookBridge.Gateway;

/// <summary>An RFC 9457 problem of the gateway; <see cref="Type"/> names what happened, <see cref="Error"/> is Poe's own error object when Poe refused.</summary>
public sealed record GatewayProblem(
    [property: Description("What happened, e.g. poe_points_exhausted, poe_key_rejected, creation_outcome_unknown.")] string Type,
    string Title,
    int Status,
    string Detail,
    [property: Description("Poe's error object ({\"message\",\"type\",\"code\"}) exactly as Poe sent it; absent when the problem is the bridge's own.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    JsonElement? Error = null);
