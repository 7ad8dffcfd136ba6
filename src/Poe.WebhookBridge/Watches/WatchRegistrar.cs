using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// Creates a watch durably — with its poll target in one statement, and its idempotency record in the same
/// transaction — or finds the identical active one.
/// </summary>
internal sealed class WatchRegistrar(
    NpgsqlDataSource dataSource, WatchInserts inserts, TimeProvider time, IOptions<PollingOptions> polling, PollPlanner planner, WatchResponseWriter writer,
    ILogger<WatchRegistrar> logger)
{
    private const int Attempts = 3;

    public Task<RegistrationResult> RegisterAsync(Client client, CreateWatchRequest request, IdempotencyClaim? idempotency, CancellationToken cancellationToken) =>
        RegisterAsync(client, request, video: null, idempotency is null ? null : (connection, transaction, result, now) => IdempotencyStore.RecordAsync(connection, transaction, new IdempotencyRecord
        {
            ClientName = client.Name,
            Key = idempotency.Key,
            RequestHash = idempotency.RequestHash,
            StatusCode = result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
            ResponseBody = writer.Serialize(result.Watch!),
            Location = result.Created ? WatchesApi.LocationOf(result.Watch!.Id) : null,
            CreatedAt = now,
        }, cancellationToken), cancellationToken);

    /// <summary>
    /// Registers the watch of a video the bridge has just had Poe create: its <c>video</c> is Poe's answer, and
    /// <paramref name="record"/> stores the request's outcome in the same transaction, so neither exists without the other.
    /// </summary>
    public Task<RegistrationResult> RegisterCreatedAsync(
        Client client, CreateWatchRequest request, string video, RegistrationRecord record, CancellationToken cancellationToken) =>
        RegisterAsync(client, request, video, record, cancellationToken);

    private async Task<RegistrationResult> RegisterAsync(
        Client client, CreateWatchRequest request, string? video, RegistrationRecord? record, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                if (await TryRegisterAsync(client, request, video, record, cancellationToken) is { } result)
                {
                    return result;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && attempt < Attempts)
            {
                if (ex.ConstraintName != WatchRows.ActiveIdentityIndex)
                {
                    // Another request with the same Idempotency-Key won the race: its answer is now stored.
                    return RegistrationResult.IdempotencyRace;
                }
            }
        }

        throw new InvalidOperationException("An identical active watch was found and gone again on every attempt.");
    }

    /// <returns>Null when an identical watch was active at the insert but no longer when read: try again.</returns>
    private async Task<RegistrationResult?> TryRegisterAsync(
        Client client, CreateWatchRequest request, string? video, RegistrationRecord? record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var watch = new Watch
        {
            Id = Ids.NewWatchId(),
            ClientName = client.Name,
            VideoId = request.VideoId,
            CallbackUrl = request.CallbackUrl,
            PoeKeyId = client.PoeKeyId,
            Events = [.. request.Events ?? WatchEventTypes.Default],
            Metadata = new Dictionary<string, string>(request.Metadata ?? new Dictionary<string, string>()),
            Video = video,
            CreatedAt = now,
        };
        var firstPollAt = planner.PlanFirst(watch.PoeKeyId, watch.VideoId, now);
        var result = record is null
            ? await InsertAsync(watch, firstPollAt, cancellationToken)
            : await InsertAsync(watch, firstPollAt, record, now, cancellationToken);
        if (result is { Created: true })
        {
            WatchLog.Registered(logger, watch.Id, client.Name, watch.VideoId, new Uri(watch.CallbackUrl));
        }

        return result;
    }

    /// <summary>Without a record the insert is one statement, atomic by itself, and goes in the next group commit.</summary>
    private async Task<RegistrationResult?> InsertAsync(Watch watch, DateTimeOffset firstPollAt, CancellationToken cancellationToken)
    {
        if (await inserts.TryInsertAsync(watch, firstPollAt, cancellationToken) is { } due)
        {
            return new RegistrationResult(WatchResponse.From(watch, due), Created: true);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindIdenticalAsync(connection, null, watch, cancellationToken);
    }

    private async Task<RegistrationResult?> InsertAsync(
        Watch watch, DateTimeOffset firstPollAt, RegistrationRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await WatchRows.TryInsertAsync(connection, transaction, watch, firstPollAt, polling.Value.Interval, cancellationToken) is { } due
            ? new RegistrationResult(WatchResponse.From(watch, due), Created: true)
            : await FindIdenticalAsync(connection, transaction, watch, cancellationToken);
        if (result is not null)
        {
            await record(connection, transaction, result, now);
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }

    /// <returns>Null when an identical watch was active at the insert but no longer is.</returns>
    private static async Task<RegistrationResult?> FindIdenticalAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Watch watch, CancellationToken cancellationToken) =>
        await IdenticalWatch.FindAsync(connection, transaction, watch, cancellationToken) is var (existing, existingDue)
            ? new RegistrationResult(WatchResponse.From(existing, existingDue), Created: false)
            : null;
}

internal sealed record RegistrationResult(WatchResponse? Watch, bool Created)
{
    public static readonly RegistrationResult IdempotencyRace = new(null, Created: false);
}
