using System.Text.Json;
using Poe.Simulator.Auth;
using Poe.Simulator.Faults;
using Poe.Simulator.Points;
using Poe.Simulator.RateLimiting;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;

namespace Poe.Simulator;

internal static class SimulatorServices
{
    public static IServiceCollection AddSimulator(
        this IServiceCollection services, Action<SimulatorOptions>? configure, TimeProvider timeProvider)
    {
        services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
            services.Configure(configure);

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddSingleton(timeProvider);
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<KeyRateLimiter>();
        services.AddSingleton<VideoStore>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<FaultResponses>();
        services.AddSingleton<VideoPoll>();
        services.AddSingleton<PoeGate>();
        services.AddSingleton<VideoCreation>();
        services.AddSingleton<VideoContent>();
        services.AddSingleton<PointsLedger>();
        return services;
    }
}
