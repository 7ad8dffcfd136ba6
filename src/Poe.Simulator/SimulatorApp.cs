using Microsoft.Extensions.Configuration.Memory;
using Poe.Simulator.Requests;
using Poe.Simulator.Videos;

namespace Poe.Simulator;

/// <summary>Builds the simulator so it can run as a process or inside a test or benchmark.</summary>
public static class SimulatorApp
{
    /// <summary>Builds (does not start) the simulator.</summary>
    /// <param name="args">Normal ASP.NET Core arguments, e.g. <c>--urls=http://127.0.0.1:0</c>.</param>
    /// <param name="configure">Applied after configuration binding, so it wins over settings and env vars.</param>
    /// <param name="timeProvider">The clock for video timelines, rate limiting and the request log.</param>
    public static WebApplication Build(
        string[] args, Action<SimulatorOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SimulatorApp).Assembly.GetName().Name,
        });
        builder.AddDefaultLogLevels();
        builder.Services.AddSimulator(configure, timeProvider ?? TimeProvider.System);

        var app = builder.Build();
        app.MapVideos();
        app.MapRequestLog();
        app.LogWhereItListens();
        return app;
    }

    // Lowest-precedence defaults rather than an appsettings.json: a test project that references
    // both this app and the bridge shares one output folder, and two appsettings.json would clash.
    private static void AddDefaultLogLevels(this WebApplicationBuilder builder) =>
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });

    private static void LogWhereItListens(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Poe.Simulator");
            if (logger.IsEnabled(LogLevel.Information))
                logger.LogInformation("Poe simulator (fake Poe video API) listening on {Addresses}", app.Urls);
        });
}
