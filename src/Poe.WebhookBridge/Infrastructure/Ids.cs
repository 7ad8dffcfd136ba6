using System.Security.Cryptography;

namespace Poe.WebhookBridge.Infrastructure;

/// <summary>Prefixed random ids (<c>watch_…</c>, <c>evt_…</c>, <c>ep_…</c>, <c>rcv_…</c>): 120 random bits, URL-safe, unguessable across clients.</summary>
internal static class Ids
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string NewWatchId() => "watch_" + Random(24);

    public static string NewEventId() => "evt_" + Random(24);

    public static string NewEndpointId() => "ep_" + Random(24);

    public static string NewRecoveryId() => "rcv_" + Random(24);

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
