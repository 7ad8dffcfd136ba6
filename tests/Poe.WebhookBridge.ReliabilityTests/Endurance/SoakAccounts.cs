using Poe.WebhookBridge.ReliabilityTests.Support;

namespace Poe.WebhookBridge.ReliabilityTests.Endurance;

/// <summary>
/// Where every registration of a soak ended, from what its consumer received: a healthy or slow consumer got the
/// watch's webhook once (twice only when it answered after the bridge gave up), a failing or hanging one got every
/// attempt the retry policy allows before the event is dead, a gone one (410) exactly one.
/// </summary>
public sealed record SoakAccounts(string Mix, string Unconfirmed, int OutcomeUnknown, IReadOnlyList<string> Lost, int Dead, int Duplicates, IReadOnlyList<string> Unexplained)
{
    public static SoakAccounts Settle(IReadOnlyList<SoakWatch> watches, SoakConsumers consumers, int attemptsUntilDead)
    {
        var received = watches.Select(w => w.Consumer).Distinct()
            .ToDictionary(c => c, c => Receipt.From(c.Received).ToLookup(r => r.WatchId));
        var lost = new List<string>();
        var unexplained = new List<string>();
        int dead = 0, duplicates = 0;
        foreach (var watch in watches.Where(w => w.WatchId is not null))
        {
            var receipts = received[watch.Consumer][watch.WatchId!].ToList();
            var expected = watch.Kind switch
            {
                SoakKind.FailingConsumer or SoakKind.HangingConsumer => attemptsUntilDead,
                _ => 1,
            };
            if (receipts.Count < expected)
            {
                lost.Add($"{watch.Kind} {watch.VideoId} {watch.WatchId}: {receipts.Count}/{expected} received");
                continue;
            }

            dead += expected > 1 ? 1 : 0;
            foreach (var repeat in receipts.GroupBy(r => r.WebhookId).Where(g => g.Count() > expected))
            {
                duplicates += repeat.Count() - expected;
                if (!(watch.Kind == SoakKind.SlowConsumer && consumers.AnsweredLate(repeat.Key)))
                {
                    unexplained.Add($"{watch.Kind} {watch.WatchId} {repeat.Key} x{repeat.Count()}");
                }
            }

            if (receipts.Select(r => r.WebhookId).Distinct().Count() > 1)
            {
                unexplained.Add($"{watch.Kind} {watch.WatchId}: {receipts.Select(r => r.WebhookId).Distinct().Count()} webhooks");
            }
        }

        var mix = string.Join(" ", watches.CountBy(w => w.Kind).Select(k => $"{k.Key}={k.Value}"));
        // A gateway create's 504 is SPEC §10's answer when Poe does not answer in time (outcome unknown): the bridge
        // promised no watch, so it is no registration to account for; any other unconfirmed one is.
        var outcomeUnknown = watches.Count(w => w.WatchId is null && w is { Kind: SoakKind.GatewayCreate, Answer: "504" });
        var unconfirmed = watches.Where(w => w.WatchId is null && !(w is { Kind: SoakKind.GatewayCreate, Answer: "504" })).ToList();
        var answers = unconfirmed.Count == 0 ? "" : $" ({string.Join(", ", unconfirmed.CountBy(w => $"{w.Kind} {w.Answer}").Select(a => $"{a.Key} x{a.Value}"))})";
        return new SoakAccounts(mix, unconfirmed.Count + answers, outcomeUnknown, lost, dead, duplicates, unexplained);
    }
}
