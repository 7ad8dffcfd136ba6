namespace Poe.WebhookBridge.Gateway;

/// <summary>A Poe request the gateway makes for a caller: its name (metrics, logs) and where it goes at Poe.</summary>
public sealed record GatewayOperation(string Name, string PoePath, string What)
{
    public const string ContentName = "content";

    public static readonly GatewayOperation Create = new("create", "/v1/videos", "the create");

    public static readonly GatewayOperation Extend = new("extend", "/v1/videos/extensions", "the extension");

    public static GatewayOperation Remix(string videoId) => new("remix", $"/v1/videos/{Uri.EscapeDataString(videoId)}/remix", "the remix");
}
