namespace Poe.WebhookBridge.Gateway;

/// <summary>The video an extension continues, as Poe names it in <c>POST /v1/videos/extensions</c>.</summary>
public sealed record SourceVideo(string Id);
