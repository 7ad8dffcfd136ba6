using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Infrastructure.Configuration;

internal static class ConfigurationSetup
{
    /// <summary>
    /// Reads the root <c>appsettings.json</c> shipped next to the binary as the lowest-priority source, so it applies
    /// whatever the working directory is and environment variables and arguments still override it.
    /// </summary>
    public static WebApplicationBuilder AddBridgeConfiguration(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = "appsettings.json",
            Optional = true,
            ReloadOnChange = false,
        });
        return builder;
    }

    public static WebApplicationBuilder AddBridgeOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        AddSection<PoeOptions, PoeOptionsValidator>(builder, PoeOptions.SectionName);
        AddSection<PollingOptions, PollingOptionsValidator>(builder, PollingOptions.SectionName);
        AddSection<WebhooksOptions, WebhooksOptionsValidator>(builder, WebhooksOptions.SectionName);
        AddSection<RetentionOptions, RetentionOptionsValidator>(builder, RetentionOptions.SectionName);
        AddSection<DashboardOptions, DashboardOptionsValidator>(builder, DashboardOptions.SectionName);
        builder.Services.PostConfigure<WebhooksOptions>(options =>
        {
            if (options.RetrySchedule.Count == 0)
            {
                options.RetrySchedule = [.. WebhooksOptions.DefaultRetrySchedule];
            }
        });
        return builder;
    }

    private static void AddSection<TOptions, TValidator>(WebApplicationBuilder builder, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        builder.Services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
