namespace Poe.WebhookBridge.Polling;

/// <param name="Code">The response code, or the failure kind (<c>timeout</c>, <c>connection_error</c>, <c>malformed</c>, <c>unknown_status</c>), for metrics and logs.</param>
public sealed record PoeResponse(PoeOutcome Outcome, string Code, VideoSnapshot? Video = null, TimeSpan? RetryAfter = null, PoeRateHints? Hints = null)
{
    public static PoeResponse Transient(string code, PoeRateHints? hints = null) => new(PoeOutcome.Transient, code, Hints: hints);
}
