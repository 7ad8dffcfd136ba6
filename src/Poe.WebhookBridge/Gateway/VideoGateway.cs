using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Watches;

namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// One create, remix or extend for a caller: the key is claimed durably before Poe is called (at most one video per
/// <c>Idempotency-Key</c>), a rate slot is taken, Poe is called once, and a video it made is stored as a watch in the
/// same transaction as the key's answer. Past the claim nothing is cancelled by the caller going away: an answer Poe
/// gave must be stored, or the key would stay unknown for ever.
/// </summary>
internal sealed class VideoGateway(
    GatewayRequests requests, PoeBudget budget, PoeGatewayClient poe, PoeKeyRing keys, WatchRegistrar registrar, WatchResponseWriter writer,
    GatewayProblems problems, BridgeMetrics metrics, IOptions<PoeOptions> options, TimeProvider time, ILogger<VideoGateway> logger)
{
    /// <summary>Beyond the longest slot wait and Poe call: writing the outcome, and a stalled process.</summary>
    private static readonly TimeSpan InFlightMargin = TimeSpan.FromSeconds(5);

    public async Task<GatewayOutcome> RunAsync(Client client, GatewayOperation operation, CreateWatchRequest watch, byte[] poeBody, IdempotencyClaim? claim)
    {
        var now = time.GetUtcNow();
        string? owner = null;
        if (claim is not null)
        {
            var found = await requests.ClaimAsync(client.Name, claim, operation.Name, now, now + budget.MaxWait + options.Value.Timeout + InFlightMargin);
            if (found.Owner is null)
            {
                return Existing(found, now);
            }

            owner = found.Owner;
        }

        var outcome = await CallAsync(client, operation, watch, poeBody, owner is null ? null : new Held(claim!.Key, owner));
        if (owner is not null && outcome.Release)
        {
            await requests.ReleaseAsync(client.Name, claim!.Key, owner);
        }

        return outcome;
    }

    private async Task<GatewayOutcome> CallAsync(Client client, GatewayOperation operation, CreateWatchRequest watch, byte[] poeBody, Held? held)
    {
        if (await budget.TakeAsync(client.PoeKeyId, CancellationToken.None) is { } wait)
        {
            GatewayLog.NoSlot(logger, operation.Name, client.Name, client.PoeKeyId, wait);
            return new GatewayOutcome(problems.Answer(429, "rate_budget_exhausted", "Poe budget spent",
                $"The bridge's Poe key has no request left within {options.Value.Timeout.TotalSeconds:0} s; nothing was sent. Retry after the Retry-After delay."),
                RetryAfter: GatewayProblems.Seconds(wait), Release: true);
        }

        var key = keys.KeyFor(client.PoeKeyId);
        var sentAt = time.GetUtcNow();
        var reply = key is null
            ? new PoeReply(PoeReplyKind.Answered, "no_key", 401)
            : await poe.PostAsync(key, operation.PoePath, poeBody, CancellationToken.None);
        metrics.PoeRequest(reply.Code, operation.Name);
        await LearnAsync(client.PoeKeyId, reply, sentAt);

        if (reply.IsSuccess && PoeBody.VideoIdOf(reply.Body) is { } videoId)
        {
            var now = time.GetUtcNow();
            var result = await registrar.RegisterCreatedAsync(client, watch with { VideoId = videoId }, reply.Body, (connection, transaction, registered, at) =>
                held is null ? Task.CompletedTask : GatewayRequests.CompleteAsync(connection, transaction, client.Name, held.Key, held.Owner, AnswerOf(registered), at),
                CancellationToken.None);
            GatewayLog.Created(logger, operation.Name, client.Name, videoId, result.Watch!.Id);
            return new GatewayOutcome(AnswerOf(result));
        }

        var lost = reply.Kind == PoeReplyKind.Lost || reply.IsSuccess;
        var (answer, retryAfter) = problems.FromPoe(lost ? reply with { Kind = PoeReplyKind.Lost } : reply, operation.What);
        if (lost)
        {
            GatewayLog.OutcomeUnknown(logger, operation.Name, client.Name, reply.Code);
        }
        else
        {
            GatewayLog.Refused(logger, operation.Name, client.Name, reply.Code);
        }

        // Poe made nothing and charged nothing: the key may be used again. Every other answer is the key's for good.
        var release = reply.Kind == PoeReplyKind.NotSent || reply.Status == StatusCodes.Status429TooManyRequests;
        if (held is not null && !release)
        {
            await requests.CompleteAsync(client.Name, held.Key, held.Owner, answer, time.GetUtcNow());
        }

        return new GatewayOutcome(answer, RetryAfter: retryAfter, Release: release);
    }

    private GatewayOutcome Existing(GatewayClaim found, DateTimeOffset now) => found.State switch
    {
        GatewayRequestState.Done => new GatewayOutcome(new GatewayAnswer(found.StatusCode!.Value, found.ResponseBody!, found.Location), Replayed: true),
        GatewayClaim.Mismatch => new GatewayOutcome(problems.Answer(422, "idempotency_key_reused", "Idempotency-Key reused",
            "This Idempotency-Key was used with a different request in the last 24 hours.")),
        _ when now < found.UnknownAfter => new GatewayOutcome(problems.Answer(409, "request_in_progress", "Request in progress",
            "The first request with this Idempotency-Key is still waiting for Poe. Repeat it in a few seconds for its outcome.")),
        _ => new GatewayOutcome(problems.Answer(409, GatewayProblems.OutcomeUnknown, "Outcome unknown",
            "The bridge stopped while Poe was answering the first request with this Idempotency-Key: Poe may have made the video, and Poe cannot be asked. " +
            "The bridge will never send this request again; use a new key to make a new video.")),
    };

    private GatewayAnswer AnswerOf(RegistrationResult result) => result.Created
        ? new GatewayAnswer(StatusCodes.Status201Created, writer.Serialize(result.Watch!), WatchesApi.LocationOf(result.Watch!.Id))
        : new GatewayAnswer(StatusCodes.Status200OK, writer.Serialize(result.Watch!));

    /// <summary>What the answer says about the key (429 holds, a rejected key, a spent window), as a poll's answer would.</summary>
    private Task LearnAsync(string poeKeyId, PoeReply reply, DateTimeOffset sentAt)
    {
        PoeResponse? response = reply switch
        {
            { Kind: PoeReplyKind.Answered, Status: 429 } => new PoeResponse(PoeOutcome.RateLimited, reply.Code, RetryAfter: reply.RetryAfterDelay, Hints: reply.Hints),
            { Kind: PoeReplyKind.Answered, Status: 401 } => new PoeResponse(PoeOutcome.Unauthorized, reply.Code, Hints: reply.Hints),
            { IsSuccess: true } => new PoeResponse(PoeOutcome.Video, reply.Code, Hints: reply.Hints),
            _ => null,
        };
        return response is null ? Task.CompletedTask : budget.LearnAsync(poeKeyId, response, sentAt, CancellationToken.None);
    }

    private sealed record Held(string Key, string Owner);
}
