using Npgsql;

namespace Poe.WebhookBridge.Watches;

/// <summary>The active watch a registration finds identical to its own (same client, video and callback URL): the natural dedupe of SPEC §2.</summary>
internal static class IdenticalWatch
{
    internal static readonly string Sql = $"""
        SELECT w.id, w.client_name, w.video_id, w.callback_url, w.poe_key_id, w.events, w.metadata, w.status, w.video,
               w.poll_count, w.last_polled_at, w.created_at, w.ended_at, w.failure_reason, w.failure_message, p.next_poll_at,
               w.poll_base, p.poll_count, p.poll_sent_at, o.video
        FROM bridge.watches w
        LEFT JOIN bridge.video_polls p ON p.poe_key_id = w.poe_key_id AND p.video_id = w.video_id
        LEFT JOIN bridge.video_objects o ON o.poe_key_id = w.poe_key_id AND o.video_id = w.video_id
        WHERE w.client_name = @client_name AND w.video_id = @video_id AND w.callback_url = @callback_url AND w.status = '{WatchStatus.Active}'
        """;

    /// <summary>The active watch identical to <paramref name="watch"/> (same client, video and callback) and its next poll, if there is one.</summary>
    public static async Task<(Watch Watch, DateTimeOffset? NextPollAt)?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Watch watch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
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
            PollBase = reader.GetInt32(16),
        };
        var tally = reader.IsDBNull(17) ? null : new PollTally(
            reader.GetInt32(17), reader.IsDBNull(18) ? null : reader.GetFieldValue<DateTimeOffset>(18), reader.IsDBNull(19) ? null : reader.GetString(19));
        return (existing.CatchUp(tally), reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15));
    }
}
