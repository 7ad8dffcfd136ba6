namespace Poe.WebhookBridge.Gateway;

/// <summary>How a gateway request to Poe ended, as far as what Poe may have done.</summary>
public enum PoeReplyKind
{
    /// <summary>Poe answered with a status and a body.</summary>
    Answered,

    /// <summary>No connection could be made: the request never left, so Poe made nothing.</summary>
    NotSent,

    /// <summary>Sent, but no answer came (time-out, broken connection): Poe may have acted on it.</summary>
    Lost,
}
