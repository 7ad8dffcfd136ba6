using Poe.WebhookBridge.Operations.OpenApi;

namespace Poe.WebhookBridge.Watches;

public sealed record WatchList(string Object, IReadOnlyList<WatchResponse> Data, bool HasMore, string? FirstId, string? LastId) : IDocumentedExample<WatchList>
{
    public static WatchList Example => new("list", [WatchExamples.Completed, WatchExamples.Registered], HasMore: true, WatchExamples.Completed.Id, WatchExamples.Registered.Id);
}
