namespace Poe.WebhookBridge.Operations.OpenApi;

/// <summary>
/// A body type that brings its own example: the document shows it, serialized as the API writes it, wherever the
/// type is a request or response body, and the contract test checks it against the type's schema.
/// </summary>
public interface IDocumentedExample<TSelf>
    where TSelf : IDocumentedExample<TSelf>
{
    static abstract TSelf Example { get; }
}
