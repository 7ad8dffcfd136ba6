using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Infrastructure;

/// <summary>The fixture's data reset: tests see an empty bridge that still works like a freshly started one.</summary>
public sealed class DataResetTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task A_reset_empties_the_watches_but_keeps_each_Poe_keys_budget_state()
    {
        await Shop.CreateWatchAsync("video_before_reset");

        await Database.ResetAsync();

        var keyIds = Bridge.Services.GetRequiredService<PoeKeyRing>().KeyIds;
        var budget = Bridge.Services.GetRequiredService<IOptions<PoeOptions>>().Value.RequestsPerMinute;
        Assert.Equal(0, await Database.QueryAsync(db => db.Watches.CountAsync()));
        Assert.Equal(0, await Database.QueryAsync(db => db.VideoPolls.CountAsync()));
        Assert.Equal(keyIds.Order(), await Database.QueryAsync(db => db.PoeKeys.Select(k => k.Id).OrderBy(id => id).ToListAsync()));
        Assert.Equal(keyIds.Count * budget, await Database.QueryAsync(db => db.RateSlots.CountAsync()));
    }
}
