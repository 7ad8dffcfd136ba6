using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Infrastructure;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Watches;

/// <summary>Creates a watch durably — with its poll target and idempotency record in one transaction — or finds the identical active one.</summary>
internal sealed class WatchRegistrar(BridgeDbContext db, TimeProvider time, IOptions<PollingOptions> polling, PollPlanner planner, WatchResponseWriter writer, ILogger<WatchRegistrar> logger)
{
    private const int Attempts = 3;

    public async Task<RegistrationResult> RegisterAsync(Client client, CreateWatchRequest request, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRegisterAsync(client, request, idempotency, cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique && attempt < Attempts)
            {
                db.ChangeTracker.Clear();
                if (unique.ConstraintName != "ix_watches_active_identity")
                {
                    // Another request with the same Idempotency-Key won the race: its answer is now stored.
                    return RegistrationResult.IdempotencyRace;
                }
            }
        }
    }

    private async Task<RegistrationResult> TryRegisterAsync(Client client, CreateWatchRequest request, IdempotencyClaim? idempotency, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Watches.SingleOrDefaultAsync(
            w => w.ClientName == client.Name && w.VideoId == request.VideoId && w.CallbackUrl == request.CallbackUrl && w.Status == WatchStatus.Active,
            cancellationToken);

        RegistrationResult result;
        if (existing is not null)
        {
            var due = await db.VideoPolls.Where(p => p.PoeKeyId == existing.PoeKeyId && p.VideoId == existing.VideoId)
                .Select(p => (DateTimeOffset?)p.NextPollAt).SingleOrDefaultAsync(cancellationToken);
            result = new RegistrationResult(WatchResponse.From(existing, due), Created: false);
        }
        else
        {
            var watch = new Watch
            {
                Id = Ids.NewWatchId(),
                ClientName = client.Name,
                VideoId = request.VideoId,
                CallbackUrl = request.CallbackUrl,
                PoeKeyId = client.PoeKeyId,
                Events = [.. request.Events ?? WatchEventTypes.Default],
                Metadata = new Dictionary<string, string>(request.Metadata ?? new Dictionary<string, string>()),
                CreatedAt = now,
            };
            var firstPollAt = planner.PlanFirst(watch.PoeKeyId, watch.VideoId, now);
            var due = await db.EnsureScheduledAsync(watch.PoeKeyId, watch.VideoId, now, firstPollAt, polling.Value.Interval, cancellationToken);
            db.Watches.Add(watch);
            result = new RegistrationResult(WatchResponse.From(watch, due), Created: true);
        }

        if (idempotency is not null)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                ClientName = client.Name,
                Key = idempotency.Key,
                RequestHash = idempotency.RequestHash,
                StatusCode = result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
                ResponseBody = writer.Serialize(result.Watch!),
                Location = result.Created ? WatchesApi.LocationOf(result.Watch!.Id) : null,
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (result.Created)
        {
            WatchLog.Registered(logger, result.Watch!.Id, client.Name, request.VideoId, new Uri(request.CallbackUrl));
        }

        return result;
    }
}

internal sealed record RegistrationResult(WatchResponse? Watch, bool Created)
{
    public static readonly RegistrationResult IdempotencyRace = new(null, Created: false);
}
