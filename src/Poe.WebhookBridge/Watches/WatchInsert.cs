using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>The SQL of a registration: one round trip, where EF Core took six (select, upsert, savepoint, insert, release, commit).</summary>
internal static class WatchInsert
{
    /// <summary>The natural dedupe of SPEC §2: at most one active watch per client, video and callback URL.</summary>
    public const string ActiveIdentityIndex = "ix_watches_active_identity";

    // The video's poll is scheduled only when no identical watch is active, and the watch is inserted from the row the
    // upsert returns, so it comes after the poll row lock. A concurrent identical insert fails on the unique index.
    internal static readonly string InsertSql = $"""
        WITH identical AS (
            SELECT 1 FROM bridge.watches
            WHERE client_name = @client_name AND video_id = @video_id AND callback_url = @callback_url AND status = 'active'),
        poll AS ({VideoPolls.Upsert("NOT EXISTS (SELECT 1 FROM identical)")}),
        watch AS (
            INSERT INTO bridge.watches (id, client_name, video_id, callback_url, poe_key_id, events, metadata, status, video, poll_count, created_at)
            SELECT @id, @client_name, @video_id, @callback_url, @poe_key_id, @events, @metadata, 'active', @video, 0, @now FROM poll)
        SELECT next_poll_at FROM poll
        """;

    /// <summary>Inserts the watch and schedules its video; null, inserting nothing, when an identical watch is active.</summary>
    public static async Task<DateTimeOffset?> TryInsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Watch watch, DateTimeOffset firstPollAt, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.AddWithValue("id", watch.Id);
        command.Parameters.AddWithValue("client_name", watch.ClientName);
        command.Parameters.AddWithValue("video_id", watch.VideoId);
        command.Parameters.AddWithValue("callback_url", watch.CallbackUrl);
        command.Parameters.AddWithValue("poe_key_id", watch.PoeKeyId);
        command.Parameters.AddWithValue("events", watch.Events);
        // As the entity configuration stores it.
        command.Parameters.AddWithValue("metadata", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(watch.Metadata, (JsonSerializerOptions?)null));
        // Known at registration only when the bridge created the video itself (Gateway): Poe's answer to the create.
        command.Parameters.AddWithValue("video", NpgsqlDbType.Jsonb, (object?)watch.Video ?? DBNull.Value);
        command.Parameters.AddWithValue("now", watch.CreatedAt);
        command.Parameters.AddWithValue("first_poll_at", firstPollAt);
        command.Parameters.AddWithValue("interval", interval);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetFieldValue<DateTimeOffset>(0) : null;
    }

    public static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IdempotencyRecord record, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO bridge.idempotency_records (client_name, key, request_hash, status_code, response_body, location, created_at)
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
}
