using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Tests.Polling;

/// <summary>How one claim's batch is shared among Poe keys: each up to its pace, the longest-waiting key first.</summary>
public sealed class ClaimShareTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    [Fact]
    public void A_short_batch_goes_to_the_keys_whose_oldest_due_video_waited_longest()
    {
        var keys = new[] { Key("pk_new", admitted: 5, waited: 1), Key("pk_old", admitted: 5, waited: 60), Key("pk_mid", admitted: 5, waited: 30) };

        var shares = PollClaimer.Share(keys, limit: 2 * PollClaimer.PollsPerKey);

        Assert.Equal(5, shares["pk_old"]);
        Assert.Equal(5, shares["pk_mid"]);
        Assert.Equal(0, shares["pk_new"]);
    }

    [Fact]
    public void A_batch_among_many_keys_goes_to_as_few_as_fill_it_and_leaves_the_most_recently_due_to_the_next_claim()
    {
        var keys = Enumerable.Range(0, 200).Select(i => Key($"pk_{i:000}", admitted: 50, waited: 1000 - i)).ToList();

        var shares = PollClaimer.Share(keys, limit: 256);

        Assert.Equal(256 / PollClaimer.PollsPerKey, PollClaimer.KeysServed(256));
        Assert.All(keys.Take(PollClaimer.KeysServed(256)), k => Assert.Equal(PollClaimer.PollsPerKey, shares[k.Id]));
        Assert.All(keys.Skip(PollClaimer.KeysServed(256)), k => Assert.Equal(0, shares[k.Id]));
    }

    [Fact]
    public void Among_keys_whose_videos_came_due_at_one_instant_the_one_whose_pace_is_furthest_behind_goes_first()
    {
        var keys = new[]
        {
            Key("pk_a", admitted: 50, waited: 60) with { PacedUntil = Now.AddSeconds(5) },
            Key("pk_b", admitted: 50, waited: 60) with { PacedUntil = Now.AddSeconds(-5) },
            Key("pk_c", admitted: 50, waited: 60) with { PacedUntil = Now },
        };

        var shares = PollClaimer.Share(keys, limit: PollClaimer.PollsPerKey);

        Assert.Equal(PollClaimer.PollsPerKey, shares["pk_b"]);
        Assert.Equal(0, shares["pk_a"] + shares["pk_c"]);
    }

    [Fact]
    public void No_key_gets_more_than_its_pace_admits_and_the_rest_of_the_batch_goes_to_the_others()
    {
        var keys = new[] { Key("pk_paced", admitted: 1, waited: 90), Key("pk_free", admitted: 50, waited: 10), Key("pk_held", admitted: 0, waited: 99) };

        var shares = PollClaimer.Share(keys, limit: 20);

        Assert.Equal(1, shares["pk_paced"]);
        Assert.Equal(19, shares["pk_free"]);
        Assert.Equal(0, shares["pk_held"]);
    }

    private static KeyGrant Key(string id, int admitted, int waited) =>
        new(id, DateTimeOffset.UnixEpoch, Rejected: false, Asked: 0, admitted) { OldestDue = Now.AddSeconds(-waited) };
}
