namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// The values a string property can take are a static <c>string[]</c> of <paramref name="source"/> (<c>All</c> unless
/// <paramref name="list"/> names another), the same list the code checks against, so the document's enum grows with the
/// code (for an array, its items take them).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class AllowedValuesFromAttribute(Type source, string list = "All") : Attribute
{
    public Type Source { get; } = source;

    public string List { get; } = list;

    public IReadOnlyList<string> Values =>
        Source.GetField(List, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)?.GetValue(null) as string[]
        ?? throw new InvalidOperationException($"{Source.Name} has no static string[] {List}.");
}
