using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Gateway;

/// <summary>How one gateway request to Poe ended.</summary>
/// <param name="Code">The status code, or <c>timeout</c> / <c>connection_error</c>, for metrics.</param>
public sealed record PoeReply(PoeReplyKind Kind, string Code, int Status = 0, string Body = "")
{
    /// <summary>Poe's <c>Retry-After</c> as it sent it.</summary>
    public string? RetryAfter { get; init; }

    public TimeSpan? RetryAfterDelay { get; init; }

    public PoeRateHints? Hints { get; init; }

    public bool IsSuccess => Kind == PoeReplyKind.Answered && Status is >= 200 and < 300;
}
