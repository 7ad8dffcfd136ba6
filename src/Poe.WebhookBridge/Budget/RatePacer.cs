namespace Poe.WebhookBridge.Budget;

/// <summary>
/// Spreads a key's budget evenly over the minute (the generic cell rate algorithm): one request every
/// <see cref="PoeBudget.SlotPeriod"/> / budget — the rate the rate slots can sustain, so the pace, not the
/// slots, is what binds and requests stay evenly spaced — with a burst of up to <see cref="BurstSeconds"/> of budget.
/// The rate slots alone would allow the whole budget in one burst and then a minute of silence (and echo every burst
/// a minute later), which is the worst schedule for noticing completions.
/// </summary>
public static class RatePacer
{
    public const double BurstSeconds = 10;

    /// <param name="pacedUntil">The key's theoretical arrival time: when it would have spent its budget so far at the even rate.</param>
    /// <returns>How many of <paramref name="wanted"/> requests may go now.</returns>
    public static int Admit(DateTimeOffset pacedUntil, DateTimeOffset now, int wanted, int budgetPerMinute)
    {
        var spacing = Spacing(budgetPerMinute);
        var start = pacedUntil > now ? pacedUntil : now;
        var room = (now + Burst(budgetPerMinute) - start).Ticks / spacing.Ticks;
        return (int)Math.Clamp(room, 0, wanted);
    }

    /// <summary>The key's theoretical arrival time after <paramref name="sent"/> more requests.</summary>
    public static DateTimeOffset After(DateTimeOffset pacedUntil, DateTimeOffset now, int sent, int budgetPerMinute) =>
        (pacedUntil > now ? pacedUntil : now) + (Spacing(budgetPerMinute) * sent);

    /// <summary>When the next request may go.</summary>
    public static DateTimeOffset NextAdmission(DateTimeOffset pacedUntil, int budgetPerMinute) =>
        pacedUntil - Burst(budgetPerMinute) + Spacing(budgetPerMinute);

    private static TimeSpan Spacing(int budgetPerMinute) => PoeBudget.SlotPeriod / budgetPerMinute;

    private static TimeSpan Burst(int budgetPerMinute) => Spacing(budgetPerMinute) * Math.Max(1, Math.Floor(budgetPerMinute * BurstSeconds / 60));
}
