namespace Poe.WebhookBridge.Budget;

/// <summary>
/// One of a key's <c>Poe:RequestsPerMinute</c> permits. A request takes a free slot and makes it unavailable for the
/// next 60 s (plus a margin), so no 60 s window can hold more requests than there are slots, across all instances.
/// </summary>
public sealed class RateSlot
{
    public required string PoeKeyId { get; init; }

    public int Slot { get; init; }

    public DateTimeOffset AvailableAt { get; set; }
}
