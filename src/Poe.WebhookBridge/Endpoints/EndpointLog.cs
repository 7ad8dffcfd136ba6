namespace Poe.WebhookBridge.Endpoints;

/// <summary>Endpoint health's log lines: endpoints by client and host only, like every callback.</summary>
internal static partial class EndpointLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning,
        Message = "Endpoint {CallbackHost} of client {ClientName} disabled: every attempt to it failed for {DisableAfter}; its events are held until it is enabled")]
    public static partial void Disabled(ILogger logger, string clientName, string callbackHost, TimeSpan disableAfter);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Endpoint {CallbackHost} of client {ClientName} enabled; {Released} held events released")]
    public static partial void Enabled(ILogger logger, string clientName, string callbackHost, int released);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Counting disabled endpoints failed; the gauge keeps its last value")]
    public static partial void GaugeRefreshFailed(ILogger logger, Exception exception);
}
