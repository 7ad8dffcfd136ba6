namespace Poe.WebhookBridge.Gateway;

/// <summary>The gateway's requests in the logs: client, operation and Poe's answer; never a key.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Poe {Operation} for {ClientName} made video {VideoId}; watch {WatchId}")]
    public static partial void Created(ILogger logger, string operation, string clientName, string videoId, string watchId);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "Poe {Operation} for {ClientName} refused: {PoeCode}")]
    public static partial void Refused(ILogger logger, string operation, string clientName, string poeCode);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Poe {Operation} for {ClientName} got no answer ({PoeCode}): Poe may have made a video the bridge does not know of")]
    public static partial void OutcomeUnknown(ILogger logger, string operation, string clientName, string poeCode);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Warning, Message = "Poe {Operation} for {ClientName} refused by the bridge: key {PoeKeyId} has no rate slot free for {RetryAfter}")]
    public static partial void NoSlot(ILogger logger, string operation, string clientName, string poeKeyId, TimeSpan retryAfter);
}
