
namespace Poe.WebhookBridge.Delivery;

/// <summary>The callback's address is not one a webhook may be sent to.</summary>
public sealed class CallbackRefusedException : Exception
{
    public CallbackRefusedException()
        : base("the callback address was refused.")
    {
    }

    public CallbackRefusedException(string message)
        : base(message)
    {
    }

    public CallbackRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
