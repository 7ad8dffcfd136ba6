namespace Poe.WebhookBridge.Polling;

/// <summary>
/// What one claim took (<see cref="PollClaimer"/>), and whether it left due keys to the next claim: a claim serves the
/// keys that waited longest, a few polls each, so a claim short of its room with <see cref="KeysLeft"/> is not a sign
/// that nothing else is due.
/// </summary>
public sealed record PollClaim(IReadOnlyList<ClaimedPoll> Polls, bool KeysLeft);
