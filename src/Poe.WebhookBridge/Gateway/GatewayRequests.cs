using Npgsql;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Gateway;

/// <summary>Every change to <c>bridge.gateway_requests</c>: claiming a key before Poe is called, its outcome, giving it back, purging it.</summary>
public sealed class GatewayRequests(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Claims the key for this request (the primary key lets one claim win across instances), or says what the
    /// first request with it became. A finished answer older than the key's lifetime is forgotten and the key reused.
    /// </summary>
    public async Task<GatewayClaim> ClaimAsync(string clientName, IdempotencyClaim claim, string operation, DateTimeOffset now, DateTimeOffset unknownAfter)
    {
        var owner = Guid.NewGuid().ToString("N");
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO bridge.gateway_requests (client_name, key, request_hash, operation, state, owner, started_at, unknown_after)
                VALUES (@client_name, @key, @request_hash, @operation, @in_flight, @owner, @now, @unknown_after)
                ON CONFLICT (client_name, key) DO NOTHING
                """, connection))
            {
                AddKey(insert, clientName, claim.Key);
                insert.Parameters.AddWithValue("request_hash", claim.RequestHash);
                insert.Parameters.AddWithValue("operation", operation);
                insert.Parameters.AddWithValue("in_flight", GatewayRequestState.InFlight);
                insert.Parameters.AddWithValue("owner", owner);
                insert.Parameters.AddWithValue("now", now);
                insert.Parameters.AddWithValue("unknown_after", unknownAfter);
                if (await insert.ExecuteNonQueryAsync() == 1)
                {
                    return GatewayClaim.Started(owner);
                }
            }

            await using var read = new NpgsqlCommand("""
                SELECT request_hash, state, unknown_after, status_code, response_body, location, completed_at
                FROM bridge.gateway_requests WHERE client_name = @client_name AND key = @key
                """, connection);
            AddKey(read, clientName, claim.Key);
            await using var reader = await read.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                continue; // Given back between the insert and the read: claim it again.
            }

            var existing = new GatewayClaim(
                reader.GetString(0) == claim.RequestHash ? reader.GetString(1) : GatewayClaim.Mismatch, null,
                reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5));
            var completedAt = reader.IsDBNull(6) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(6);
            await reader.DisposeAsync();
            if (completedAt is null || completedAt > now - IdempotencyClaim.Lifetime)
            {
                return existing;
            }

            await using var expire = new NpgsqlCommand(
                "DELETE FROM bridge.gateway_requests WHERE client_name = @client_name AND key = @key AND completed_at = @completed_at", connection);
            AddKey(expire, clientName, claim.Key);
            expire.Parameters.AddWithValue("completed_at", completedAt.Value);
            await expire.ExecuteNonQueryAsync();
        }

        throw new InvalidOperationException("An idempotency key was claimed and given back twice during one request.");
    }

    /// <summary>Stores the answer the caller gets, in the caller's transaction when there is one (the watch's own).</summary>
    public static async Task CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string clientName, string key, string owner, GatewayAnswer answer, DateTimeOffset now)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE bridge.gateway_requests SET state = @done, status_code = @status_code, response_body = @response_body, location = @location, completed_at = @now
            WHERE client_name = @client_name AND key = @key AND owner = @owner
            """, connection, transaction);
        AddKey(command, clientName, key);
        command.Parameters.AddWithValue("done", GatewayRequestState.Done);
        command.Parameters.AddWithValue("status_code", answer.Status);
        command.Parameters.AddWithValue("response_body", answer.Body);
        command.Parameters.AddWithValue("location", (object?)answer.Location ?? DBNull.Value);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync();
    }

    public async Task CompleteAsync(string clientName, string key, string owner, GatewayAnswer answer, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await CompleteAsync(connection, null, clientName, key, owner, answer, now);
    }

    /// <summary>Gives the key back when Poe certainly made nothing (a 429, a refusal before sending), so it may be used again.</summary>
    public async Task ReleaseAsync(string clientName, string key, string owner)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "DELETE FROM bridge.gateway_requests WHERE client_name = @client_name AND key = @key AND owner = @owner AND state = @in_flight", connection);
        AddKey(command, clientName, key);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("in_flight", GatewayRequestState.InFlight);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> answered requests completed before <paramref name="completedBefore"/> (their
    /// key's lifetime is over). A request whose outcome is unknown is never purged: its key must never create again.
    /// </summary>
    // By ctid on ix_gateway_requests_done_completed_at: the delete reads only the rows its subquery locked.
    internal const string PurgeAnsweredSql = """
        DELETE FROM bridge.gateway_requests WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM bridge.gateway_requests
            WHERE state = @done AND completed_at <= @completed_before
            ORDER BY completed_at
            LIMIT @limit FOR UPDATE SKIP LOCKED))
        """;

    public async Task<int> PurgeAnsweredAsync(DateTimeOffset completedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PurgeAnsweredSql, connection);
        command.Parameters.AddWithValue("done", GatewayRequestState.Done);
        command.Parameters.AddWithValue("completed_before", completedBefore);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKey(NpgsqlCommand command, string clientName, string key)
    {
        command.Parameters.AddWithValue("client_name", clientName);
        command.Parameters.AddWithValue("key", key);
    }
}
