using Poe.WebhookBridge.Budget;
using System.Net;
using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Polling;

internal static class PollingSetup
{
    public static WebApplicationBuilder AddPolling(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PoeKeyRing>();
        builder.Services.AddSingleton<VideoPolls>();
        builder.Services.AddSingleton<PollClaimer>();
        builder.Services.AddSingleton<PollRunner>();
        builder.Services.AddSingleton<PollPlanner>();
        builder.Services.AddSingleton<RoutinePollWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RoutinePollWriter>());
        builder.Services.AddSingleton<UnsentPollReleaser>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UnsentPollReleaser>());
        builder.Services.AddScoped<PollResultWriter>();
        builder.Services.AddScoped<WatchExpiry>();
        builder.Services.AddHostedService<PoeKeyBootstrap>();

        // Our own rules (SPEC §3) govern retries and 429s, so no generic resilience handler is stacked on this client.
        builder.Services.AddHttpClient<PoeClient>(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // Poe:Timeout is applied per request by PoeClient.
                client.MaxResponseContentBufferSize = 1024 * 1024;
                client.DefaultRequestHeaders.UserAgent.ParseAdd($"Poe-WebhookBridge/{typeof(PollingSetup).Assembly.GetName().Version?.ToString(3)}");
            })
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                MaxConnectionsPerServer = PollRunner.MaxInFlight,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = services.GetRequiredService<IOptions<PoeOptions>>().Value.Timeout,
            });
        return builder;
    }
}
