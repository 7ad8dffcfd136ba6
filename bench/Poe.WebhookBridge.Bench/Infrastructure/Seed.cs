using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Poe.WebhookBridge.Bench.Infrastructure;

/// <summary>
/// Writes straight into a running bridge's tables the rows its API (or its poll write-back) would have written, in one
/// statement per table: registering through the API runs at ~150/s here, which would make seeding the scenario.
/// Each seeding ends with ANALYZE of the database (the rows seeded, and the rate slots the bridge wrote at its start): in a
/// bridge that grew to this size autovacuum would have analyzed them, and a scenario that starts measuring seconds later
/// must not measure plans made for empty tables.
/// </summary>
public static class Seed
{
    /// <summary>
    /// <paramref name="count"/> active watches with their poll rows (what POST /v1/watches writes), video ids
    /// <c>{prefix}{i}</c>; watch i belongs to client i mod the clients given, polled with that client's Poe key, and is
    /// first due at a uniformly random point of the next <paramref name="firstDueWithin"/>. With
    /// <paramref name="polledBefore"/>, each video was polled once a second ago and answered in progress at 0 % (what the
    /// simulator answers for a video it has just made up): a target in steady state, not one waiting for its first poll.
    /// </summary>
    public static async Task ActiveWatchesAsync(string connectionString, int count, string prefix, Uri callback,
        IReadOnlyList<(string Name, string PoeKey)> clients, TimeSpan firstDueWithin, bool polledBefore = false)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var batch = data.CreateBatch();
        batch.BatchCommands.Add(Command("""
            INSERT INTO bridge.watches (id, client_name, video_id, callback_url, poe_key_id, events, metadata, status, poll_count, created_at)
            SELECT 'watch_' || substr(md5($1 || g), 1, 24), ($3::text[])[g % cardinality($3) + 1], $1 || g, $2,
                   ($4::text[])[g % cardinality($4) + 1], '{video.completed,video.failed,watch.failed}', '{}', 'active', 0, now()
            FROM generate_series(0, $5 - 1) AS g
            """, prefix, callback.ToString(), clients.Select(c => c.Name).ToArray(), KeyIds(clients), count));
        // $5: polled a second ago (then the answer's status and progress, and where progress was first seen), or never.
        batch.BatchCommands.Add(Command("""
            INSERT INTO bridge.video_polls (poe_key_id, video_id, next_poll_at, failure_count, created_at,
                                            last_status, last_progress, last_polled_at, poll_count, poll_sent_at, progress_started_at, progress_started_value)
            SELECT ($2::text[])[g % cardinality($2) + 1], $1 || g, now() + random() * $3, 0, now(),
                   CASE WHEN $5 THEN 'in_progress' END, CASE WHEN $5 THEN 0 END, CASE WHEN $5 THEN now() - interval '1 second' END,
                   CASE WHEN $5 THEN 1 ELSE 0 END, CASE WHEN $5 THEN now() - interval '1 second' END,
                   CASE WHEN $5 THEN now() - interval '1 second' END, CASE WHEN $5 THEN 0 END
            FROM generate_series(0, $4 - 1) AS g
            """, prefix, KeyIds(clients), firstDueWithin, count, polledBefore));
        if (polledBefore)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO bridge.video_objects (poe_key_id, video_id, video)
                SELECT poe_key_id, video_id, jsonb_build_object('id', video_id, 'object', 'video', 'status', 'in_progress', 'progress', 0,
                    'model', 'sora-2', 'seconds', '8', 'size', '1280x720', 'created_at', extract(epoch FROM now())::bigint - 1)
                FROM bridge.video_polls WHERE video_id LIKE $1 || '%'
                """, prefix));
        }

        await batch.ExecuteNonQueryAsync();
        await AnalyzeAsync(data);
    }

    /// <summary>
    /// <paramref name="count"/> watches whose videos <c>{prefix}{i}</c> have completed, each with its pending
    /// <c>video.completed</c> event due now (what a poll that saw the end writes, in one transaction); watch i calls back
    /// <paramref name="callback"/>(i).
    /// </summary>
    public static async Task ReadyEventsAsync(string connectionString, int count, string prefix, Func<int, Uri> callback, string client, string poeKey)
    {
        var callbacks = Enumerable.Range(0, count).Select(i => callback(i)).ToArray();
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var batch = data.CreateBatch();
        // The video object as the simulator answers it for a finished video, padded to a realistic size.
        batch.BatchCommands.Add(Command("""
            INSERT INTO bridge.watches (id, client_name, video_id, callback_url, poe_key_id, events, metadata, status, video, poll_count,
                                        last_polled_at, created_at, ended_at)
            SELECT 'watch_' || substr(md5($1 || g), 1, 24), $3, $1 || g, ($2::text[])[g + 1], $4,
                   '{video.completed,video.failed,watch.failed}', '{}', 'completed',
                   jsonb_build_object('id', $1 || g, 'object', 'video', 'status', 'completed', 'progress', 100, 'model', 'sora-2',
                                      'seconds', '8', 'size', '1280x720', 'created_at', extract(epoch FROM now())::bigint - 90), 1, now(), now(), now()
            FROM generate_series(0, $5 - 1) AS g
            """, prefix, callbacks.Select(c => c.ToString()).ToArray(), client, KeyId(poeKey), count));
        batch.BatchCommands.Add(Command("""
            INSERT INTO bridge.webhook_events (id, watch_id, client_name, type, payload, callback_url, callback_host, created_at, status, attempt_count, next_attempt_at)
            SELECT 'evt_' || substr(md5($1 || g), 1, 24), w.id, w.client_name, 'video.completed',
                   jsonb_build_object('id', 'evt_' || substr(md5($1 || g), 1, 24), 'object', 'event', 'type', 'video.completed',
                                      'created_at', extract(epoch FROM now())::bigint, 'data', w.video,
                                      'watch', jsonb_build_object('id', w.id, 'metadata', w.metadata))::text,
                   w.callback_url, ($2::text[])[g + 1], now(), 'pending', 0, now()
            FROM generate_series(0, $3 - 1) AS g JOIN bridge.watches w ON w.id = 'watch_' || substr(md5($1 || g), 1, 24)
            """, prefix, callbacks.Select(c => c.Host).ToArray(), count));
        await batch.ExecuteNonQueryAsync();
        await AnalyzeAsync(data);
    }

    private static async Task AnalyzeAsync(NpgsqlDataSource data)
    {
        await using var analyze = data.CreateCommand("ANALYZE");
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The id the bridge stores for a Poe key (as its PoeKeyRing derives it: never the key itself).</summary>
    private static string KeyId(string poeKey) => "pk_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(poeKey)))[..16];

    private static string[] KeyIds(IReadOnlyList<(string Name, string PoeKey)> clients) => [.. clients.Select(c => KeyId(c.PoeKey))];

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
