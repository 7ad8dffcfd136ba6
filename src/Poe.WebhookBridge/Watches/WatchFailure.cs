using Poe.WebhookBridge.Operations.OpenApi;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>Why the bridge gave up on a watch.</summary>
public sealed record WatchFailure([property: AllowedValuesFrom(typeof(WatchFailures))] string Reason, string Message);
