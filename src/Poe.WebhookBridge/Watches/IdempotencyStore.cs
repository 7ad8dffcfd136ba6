using Npgsql;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// Every statement on <c>bridge.idempotency_records</c>: the stored answer to a key, its insert in the registration's
/// transaction, and the purge of expired ones. Raw Npgsql, as the registration that writes it: a lookup then needs no
/// DbContext, which costs a registration more than its SQL.
/// </summary>
public sealed class IdempotencyStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "client_name, key, request_hash, status_code, response_body, location, created_at";

    internal const string PurgeExpiredSql = """
        DELETE FROM bridge.idempotency_records WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM bridge.idempotency_records
            WHERE created_at <= @created_before
            ORDER BY created_at
            LIMIT @limit FOR UPDATE SKIP LOCKED))
        """;

    /// <summary>The stored answer to this key, if one younger than 24 h exists; an expired one is removed so the key can be reused.</summary>
    public async Task<IdempotencyRecord?> FindAsync(string clientName, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IdempotencyRecord? record;
        await using (var find = new NpgsqlCommand(
            $"SELECT {Columns} FROM bridge.idempotency_records WHERE client_name = @client_name AND key = @key", connection))
        {
            find.Parameters.AddWithValue("client_name", clientName);
            find.Parameters.AddWithValue("key", key);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            record = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }

        if (record is null || record.CreatedAt > now - IdempotencyClaim.Lifetime)
        {
            return record;
        }

        // Only the expired record read: one stored meanwhile by a new request with the key stays.
        await using var delete = new NpgsqlCommand(
            "DELETE FROM bridge.idempotency_records WHERE client_name = @client_name AND key = @key AND created_at = @created_at", connection);
        delete.Parameters.AddWithValue("client_name", clientName);
        delete.Parameters.AddWithValue("key", key);
        delete.Parameters.AddWithValue("created_at", record.CreatedAt);
        await delete.ExecuteNonQueryAsync(cancellationToken);
        return null;
    }

    /// <summary>Stores the first answer to a key, in the transaction that registered the watch, so neither exists without the other.</summary>
    public static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IdempotencyRecord record, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO bridge.idempotency_records ({Columns})
            VALUES (@client_name, @key, @request_hash, @status_code, @response_body, @location, @created_at)
            """, connection, transaction);
        command.Parameters.AddWithValue("client_name", record.ClientName);
        command.Parameters.AddWithValue("key", record.Key);
        command.Parameters.AddWithValue("request_hash", record.RequestHash);
        command.Parameters.AddWithValue("status_code", record.StatusCode);
        command.Parameters.AddWithValue("response_body", record.ResponseBody);
        command.Parameters.AddWithValue("location", (object?)record.Location ?? DBNull.Value);
        command.Parameters.AddWithValue("created_at", record.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> records created at or before <paramref name="createdBefore"/>; by ctid, so
    /// the delete reads exactly the rows its subquery locked, not the whole table to match them.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PurgeExpiredSql, connection);
        command.Parameters.AddWithValue("created_before", createdBefore);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IdempotencyRecord Read(NpgsqlDataReader reader) => new()
    {
        ClientName = reader.GetString(0),
        Key = reader.GetString(1),
        RequestHash = reader.GetString(2),
        StatusCode = reader.GetInt32(3),
        ResponseBody = reader.GetString(4),
        Location = reader.IsDBNull(5) ? null : reader.GetString(5),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
    };
}
