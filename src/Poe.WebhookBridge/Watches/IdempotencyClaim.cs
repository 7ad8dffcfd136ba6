using System.Security.Cryptography;

namespace Poe.WebhookBridge.Watches;

/// <summary>An <c>Idempotency-Key</c> and the hash of the exact body it came with.</summary>
public sealed record IdempotencyClaim(string Key, string RequestHash)
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public static IdempotencyClaim For(string key, ReadOnlySpan<byte> body) => new(key, Convert.ToHexStringLower(SHA256.HashData(body)));

    public static bool IsValidKey(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');
}
