namespace Poe.WebhookBridge.Clients;

/// <summary>A consumer app as the bridge uses it: its name, the keys that sign its webhooks and the Poe key that polls for it.</summary>
public sealed record Client(string Name, IReadOnlyList<byte[]> SigningKeys, string PoeKeyId);
