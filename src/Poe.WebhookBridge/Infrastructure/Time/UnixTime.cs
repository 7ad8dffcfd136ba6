namespace Poe.WebhookBridge.Infrastructure.Time;

internal static class UnixTime
{
    public static long Seconds(DateTimeOffset value) => value.ToUnixTimeSeconds();

    public static long? Seconds(DateTimeOffset? value) => value?.ToUnixTimeSeconds();
}
