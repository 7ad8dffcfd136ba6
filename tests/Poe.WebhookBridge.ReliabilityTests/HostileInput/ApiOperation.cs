using System.Text.Json.Nodes;

namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>One operation of the served OpenAPI document: what a hostile request is generated from.</summary>
/// <param name="Body">The request body's schema with <c>$ref</c>s resolved, or null when the operation takes none.</param>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<string> PathParameters, IReadOnlyList<string> QueryParameters, JsonObject? Body)
{
    public string Label => $"{Method} {Path}";

    /// <summary>The path with every parameter replaced by <paramref name="value"/> (already escaped).</summary>
    public string PathWith(string value) =>
        PathParameters.Aggregate(Path, (path, name) => path.Replace("{" + name + "}", value, StringComparison.Ordinal));
}
