namespace Poe.WebhookBridge.Budget;

/// <summary>A key's state as a claim read it under its lock, and what the claim asks of it.</summary>
/// <param name="Admitted">How many requests the key's pace admits now.</param>
internal sealed record KeyGrant(string Id, DateTimeOffset PacedUntil, bool Rejected, int Asked, int Admitted)
{
    /// <summary>The claim order of the key's oldest due video.</summary>
    public DateTimeOffset OldestDue { get; init; }
}
