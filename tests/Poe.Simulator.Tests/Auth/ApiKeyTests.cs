using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Poe.Simulator.RateLimiting;

namespace Poe.Simulator.Tests.Auth;

public sealed class ApiKeyTests
{
    [Fact]
    public async Task A_poll_without_a_key_is_401_with_a_Poe_error_and_rate_limit_headers()
    {
        await using var sim = await RunningSimulator.StartAsync();
        sim.Videos.Create(new() { Id = "v1" });
        using var client = sim.CreateClient(key: null);

        using var response = await client.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative));
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.True(response.Headers.Contains(RateLimitHeaders.Limit));
        Assert.True(response.Headers.Contains(RateLimitHeaders.Remaining));
        Assert.True(response.Headers.Contains(RateLimitHeaders.Reset));
    }

    [Fact]
    public async Task A_key_outside_the_configured_list_is_401()
    {
        await using var sim = await RunningSimulator.StartAsync(o => o.ApiKeys = ["good"]);
        sim.Videos.Create(new() { Id = "v1" });
        using var bad = sim.CreateClient("bad");
        using var good = sim.CreateClient("good");

        using var rejected = await bad.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative));
        using var accepted = await good.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Any_key_is_accepted_when_no_keys_are_configured()
    {
        await using var sim = await RunningSimulator.StartAsync();
        sim.Videos.Create(new() { Id = "v1" });
        using var client = sim.CreateClient("whatever-" + Guid.NewGuid());

        using var response = await client.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Keys_can_be_configured_through_configuration_like_env_vars()
    {
        await using var sim = await RunningSimulator.StartAsync(null, "--Simulator:ApiKeys:0=from-config");
        sim.Videos.Create(new() { Id = "v1" });
        using var configured = sim.CreateClient("from-config");

        using var accepted = await configured.GetAsync(new Uri("/v1/videos/v1", UriKind.Relative));
        using var rejected = await sim.PollAsync("v1");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
    }
}
