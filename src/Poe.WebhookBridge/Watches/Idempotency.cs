using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Infrastructure.Data;

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

internal static class IdempotencyStore
{
    /// <summary>The stored answer to this key, if one younger than 24 h exists; an expired one is removed so the key can be reused.</summary>
    public static async Task<IdempotencyRecord?> FindAsync(this BridgeDbContext db, string clientName, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await db.IdempotencyRecords.AsNoTracking()
            .SingleOrDefaultAsync(r => r.ClientName == clientName && r.Key == key, cancellationToken);
        if (record is not null && record.CreatedAt <= now - IdempotencyClaim.Lifetime)
        {
            await db.IdempotencyRecords.Where(r => r.ClientName == clientName && r.Key == key && r.CreatedAt == record.CreatedAt)
                .ExecuteDeleteAsync(cancellationToken);
            return null;
        }

        return record;
    }
}
