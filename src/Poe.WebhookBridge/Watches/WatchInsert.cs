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
    // upsert returns, so it comes after the poll row lock. A concurrent identical insert fails on the unique index. The
    // status is part of the text, not a parameter, so the identical-watch check matches the partial index in every plan.
    internal static readonly string InsertSql = $"""
        WITH identical AS (
            SELECT 1 FROM bridge.watches
            WHERE client_name = @client_name AND video_id = @video_id AND callback_url = @callback_url AND status = '{WatchStatus.Active}'),
        poll AS ({VideoPolls.Upsert("NOT EXISTS (SELECT 1 FROM identical)")}),
        watch AS (
            INSERT INTO bridge.watches (id, client_name, video_id, callback_url, poe_key_id, events, metadata, status, video, poll_count, created_at)
            SELECT @id, @client_name, @video_id, @callback_url, @poe_key_id, @events, @metadata, '{WatchStatus.Active}', @video, 0, @now FROM poll)
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
        command.Parameters.AddWithValue("metadata", NpgsqlDbType.Jsonb, WatchMetadata.ToJson(watch.Metadata));
        // Known at registration only when the bridge created the video itself (Gateway): Poe's answer to the create.
        command.Parameters.AddWithValue("video", NpgsqlDbType.Jsonb, (object?)watch.Video ?? DBNull.Value);
        command.Parameters.AddWithValue("now", watch.CreatedAt);
        command.Parameters.AddWithValue("first_poll_at", firstPollAt);
        command.Parameters.AddWithValue("interval", interval);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetFieldValue<DateTimeOffset>(0) : null;
    }

    internal static readonly string FindIdenticalSql = $"""
        SELECT w.id, w.client_name, w.video_id, w.callback_url, w.poe_key_id, w.events, w.metadata, w.status, w.video,
               w.poll_count, w.last_polled_at, w.created_at, w.ended_at, w.failure_reason, w.failure_message, p.next_poll_at
        FROM bridge.watches w
        LEFT JOIN bridge.video_polls p ON p.poe_key_id = w.poe_key_id AND p.video_id = w.video_id
        WHERE w.client_name = @client_name AND w.video_id = @video_id AND w.callback_url = @callback_url AND w.status = '{WatchStatus.Active}'
        """;

    /// <summary>The active watch identical to <paramref name="watch"/> (same client, video and callback) and its next poll, if there is one.</summary>
    public static async Task<(Watch Watch, DateTimeOffset? NextPollAt)?> FindIdenticalAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Watch watch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(FindIdenticalSql, connection, transaction);
        command.Parameters.AddWithValue("client_name", watch.ClientName);
        command.Parameters.AddWithValue("video_id", watch.VideoId);
        command.Parameters.AddWithValue("callback_url", watch.CallbackUrl);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var existing = new Watch
        {
            Id = reader.GetString(0),
            ClientName = reader.GetString(1),
            VideoId = reader.GetString(2),
            CallbackUrl = reader.GetString(3),
            PoeKeyId = reader.GetString(4),
            Events = reader.GetFieldValue<string[]>(5),
            Metadata = WatchMetadata.FromJson(reader.GetString(6)),
            Status = reader.GetString(7),
            Video = reader.IsDBNull(8) ? null : reader.GetString(8),
            PollCount = reader.GetInt32(9),
            LastPolledAt = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(11),
            EndedAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
            FailureReason = reader.IsDBNull(13) ? null : reader.GetString(13),
            FailureMessage = reader.IsDBNull(14) ? null : reader.GetString(14),
        };
        return (existing, reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15));
    }
}
