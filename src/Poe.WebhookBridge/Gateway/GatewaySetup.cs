using Poe.WebhookBridge.Budget;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Gateway;

internal static class GatewaySetup
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PoeBudget>();
        builder.Services.AddSingleton<PoeGatewayClient>();
        builder.Services.AddSingleton<GatewayRequests>();
        builder.Services.AddSingleton<GatewayProblems>();
        builder.Services.AddScoped<VideoGateway>();
        return builder;
    }
}
