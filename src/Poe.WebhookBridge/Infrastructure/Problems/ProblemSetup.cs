using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Poe.WebhookBridge.Infrastructure.Problems;

internal static class ProblemSetup
{
    public static WebApplicationBuilder AddBridgeProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BridgeExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
            // The web defaults also read numbers from strings; the bridge takes no such number, and the document would
            // type every integer as ["integer", "string"] for it.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        return builder;
    }
}
