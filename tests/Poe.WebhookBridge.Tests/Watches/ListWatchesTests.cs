using System.Text.Json;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Watches;

public sealed class ListWatchesTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    [Fact]
    public async Task The_list_is_newest_first_with_twenty_by_default()
    {
        var created = await CreateAsync(Shop, 22);

        var page = await Shop.GetJsonAsync("/v1/watches");

        Assert.Equal("list", page.GetProperty("object").GetString());
        Assert.Equal(created.AsEnumerable().Reverse().Take(20), Ids(page));
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(created[^1], page.GetProperty("first_id").GetString());
        Assert.Equal(created[2], page.GetProperty("last_id").GetString());
    }

    [Fact]
    public async Task Paging_with_after_visits_every_watch_once_in_order()
    {
        var created = await CreateAsync(Shop, 16);
        var seen = new List<string>();
        string? after = null;
        var pages = 0;

        while (true)
        {
            var page = await Shop.GetJsonAsync($"/v1/watches?limit=5{(after is null ? "" : $"&after={after}")}");
            var ids = Ids(page);
            seen.AddRange(ids);
            pages++;
            Assert.Equal(ids[^1], page.GetProperty("last_id").GetString());
            if (!page.GetProperty("has_more").GetBoolean())
            {
                break;
            }

            after = page.GetProperty("last_id").GetString();
        }

        Assert.Equal(4, pages);
        Assert.Equal(created.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task A_page_after_the_oldest_watch_is_empty_not_an_unknown_cursor()
    {
        var created = await CreateAsync(Shop, 2);

        var page = await Shop.GetJsonAsync($"/v1/watches?after={created[0]}");
        var filtered = await Shop.GetJsonAsync($"/v1/watches?status=active&after={created[1]}");

        Assert.Empty(Ids(page));
        Assert.False(page.GetProperty("has_more").GetBoolean());
        Assert.Equal([created[0]], Ids(filtered));
    }

    [Fact]
    public async Task An_empty_list_has_no_more_and_no_first_or_last_id()
    {
        var page = await Shop.GetJsonAsync("/v1/watches");

        Assert.Empty(Ids(page));
        Assert.False(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("first_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("last_id").ValueKind);
    }

    [Fact]
    public async Task The_status_and_video_id_filters_narrow_the_list()
    {
        var keep = await Shop.CreateWatchAsync("video_a", "https://app.example/1");
        var cancelled = await Shop.CreateWatchAsync("video_a", "https://app.example/2");
        var other = await Shop.CreateWatchAsync("video_b");
        (await Shop.DeleteAsync(new Uri($"/v1/watches/{cancelled}", UriKind.Relative))).Dispose();

        Assert.Equal([cancelled], Ids(await Shop.GetJsonAsync("/v1/watches?status=cancelled")));
        Assert.Equal([other, keep], Ids(await Shop.GetJsonAsync("/v1/watches?status=active")));
        Assert.Equal([cancelled, keep], Ids(await Shop.GetJsonAsync("/v1/watches?video_id=video_a")));
        Assert.Equal([keep], Ids(await Shop.GetJsonAsync("/v1/watches?video_id=video_a&status=active")));
        Assert.Empty(Ids(await Shop.GetJsonAsync("/v1/watches?status=completed")));
    }

    [Fact]
    public async Task A_client_lists_only_its_own_watches()
    {
        var mine = await CreateAsync(Shop, 2);
        var theirs = await CreateAsync(Studio, 3);

        Assert.Equal(mine.AsEnumerable().Reverse(), Ids(await Shop.GetJsonAsync("/v1/watches")));
        Assert.Equal(theirs.AsEnumerable().Reverse(), Ids(await Studio.GetJsonAsync("/v1/watches")));
    }

    private static async Task<List<string>> CreateAsync(HttpClient client, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await client.CreateWatchAsync($"video_{i:D3}"));
        }

        return ids;
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(w => w.GetProperty("id").GetString()!)];
}
