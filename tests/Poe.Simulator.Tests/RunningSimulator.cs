using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;

namespace Poe.Simulator.Tests;

/// <summary>The simulator started in-process on a loopback port, with a fake clock and a real HttpClient.</summary>
public sealed class RunningSimulator : IAsyncDisposable
{
    public const string Key = "test-key";
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private RunningSimulator(WebApplication app, FakeTimeProvider time)
    {
        App = app;
        Time = time;
        BaseUrl = new Uri(app.Urls.First());
        Client = CreateClient(Key);
    }

    public WebApplication App { get; }
    public FakeTimeProvider Time { get; }
    public Uri BaseUrl { get; }
    public HttpClient Client { get; }
    public VideoStore Videos => App.Services.GetRequiredService<VideoStore>();
    public RequestLog Requests => App.Services.GetRequiredService<RequestLog>();

    public static async Task<RunningSimulator> StartAsync(Action<SimulatorOptions>? configure = null, params string[] extraArgs)
    {
        var time = new FakeTimeProvider(Start);
        var app = SimulatorApp.Build(["--urls=http://127.0.0.1:0", .. extraArgs], configure, time);
        await app.StartAsync();
        return new RunningSimulator(app, time);
    }

    public HttpClient CreateClient(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public Task<HttpResponseMessage> PollAsync(string id) => Client.GetAsync(new Uri($"/v1/videos/{id}", UriKind.Relative));

    public async Task<JsonElement> PollJsonAsync(string id)
    {
        using var response = await PollAsync(id);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Creates a video over HTTP, as the benchmark and bridge tests do.</summary>
    public async Task<JsonElement> CreateAsync(object body)
    {
        using var response = await Client.PostAsJsonAsync(new Uri("/v1/videos", UriKind.Relative), body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
