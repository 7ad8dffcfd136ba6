namespace Poe.WebhookBridge.Endpoints;

/// <summary>What identifies an endpoint before its row exists: the client and the origin.</summary>
public sealed record EndpointKey(string ClientName, string Url);
