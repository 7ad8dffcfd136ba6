using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Poe.Simulator.RateLimiting;

namespace Poe.Simulator.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task After_start_Urls_gives_the_real_loopback_port()
    {
        await using var sim = await RunningSimulator.StartAsync();

        Assert.Equal("127.0.0.1", sim.BaseUrl.Host);
        Assert.NotEqual(0, sim.BaseUrl.Port);
        using var response = await sim.PollAsync("v1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Options_bind_from_configuration_and_the_configure_callback_wins()
    {
        await using var sim = await RunningSimulator.StartAsync(
            o => o.DefaultRunningTime = TimeSpan.FromSeconds(5),
            "--Simulator:RequestsPerMinute=7", "--Simulator:DefaultRunningTime=00:00:30");

        var options = sim.App.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        using var response = await sim.PollAsync("v1");

        Assert.Equal("7", response.Headers.GetValues(RateLimitHeaders.Limit).Single());
        Assert.Equal(TimeSpan.FromSeconds(5), options.DefaultRunningTime);
    }

    [Fact]
    public async Task Invalid_options_stop_the_simulator_from_starting()
    {
        var app = SimulatorApp.Build(["--urls=http://127.0.0.1:0"], o => o.RequestsPerMinute = 0);

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        await app.DisposeAsync();
    }
}
