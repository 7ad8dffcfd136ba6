namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// The values a string property can take are the <c>All</c> list of <paramref name="source"/>, the same list the code
/// checks against, so the document's enum grows with the code (for an array, its items take them).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class AllowedValuesFromAttribute(Type source) : Attribute
{
    public Type Source { get; } = source;

    public IReadOnlyList<string> Values =>
        Source.GetField("All", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)?.GetValue(null) as string[]
        ?? throw new InvalidOperationException($"{Source.Name} has no static string[] All.");
}
