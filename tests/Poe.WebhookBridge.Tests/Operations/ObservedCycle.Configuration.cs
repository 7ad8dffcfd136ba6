using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>The cycle's configuration: every secret the bridge is given or shown, and its settings.</summary>
public sealed partial class ObservedCycle
{
    public TestClient Shop { get; } = TestClient.Generate("shop");

    public TestClient Studio { get; } = TestClient.Generate("studio");

    public string PoeKey { get; } = Secret("poe");

    public string StudioPoeKey { get; } = Secret("poe_studio");

    public string DashboardPassword { get; } = Secret("dash");

    public string DatabasePassword { get; } = Secret("pg");

    public string WrongClientKey { get; } = Secret("wrong");

    public string CallbackPathSecret { get; } = Secret("cbpath");

    public string CallbackQuerySecret { get; } = Secret("cbquery");

    /// <summary>A second consumer of the same video whose endpoint refuses connections, so its webhook dies.</summary>
    public string DeadCallbackUrl { get; } = $"http://127.0.0.1:{BridgeSettings.RefusingLoopbackPort}/{Secret("deadpath")}/hooks?token={Secret("deadquery")}";

    /// <summary>Every value the logs must never contain, by what it is.</summary>
    public IReadOnlyDictionary<string, string> Secrets => new Dictionary<string, string>
    {
        ["shop API key"] = Shop.ApiKey,
        ["shop signing secret"] = Shop.SigningSecret,
        ["shop signing secret (base64 part)"] = Shop.SigningSecret["whsec_".Length..],
        ["studio API key"] = Studio.ApiKey,
        ["studio signing secret"] = Studio.SigningSecret,
        ["studio signing secret (base64 part)"] = Studio.SigningSecret["whsec_".Length..],
        ["Poe key"] = PoeKey,
        ["studio's own Poe key"] = StudioPoeKey,
        ["dashboard password"] = DashboardPassword,
        ["dashboard Basic credentials"] = BasicCredentials(DashboardPassword).Parameter!,
        ["wrong dashboard Basic credentials"] = BasicCredentials(DashboardPassword + "x").Parameter!,
        ["database password"] = DatabasePassword,
        ["presented wrong client key"] = WrongClientKey,
        ["callback URL"] = CallbackUrl,
        ["dead callback URL path and query"] = DeadCallbackUrl[DeadCallbackUrl.IndexOf('/', "http://".Length)..],
        ["callback URL path"] = CallbackPathSecret,
        ["callback URL query"] = CallbackQuerySecret,
    };

    public static AuthenticationHeaderValue BasicCredentials(string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DashboardUser}:{password}")));

    private Dictionary<string, string?> Settings(Uri poe)
    {
        var settings = BridgeSettings.For(_connectionString!, Shop, Studio);
        settings["Poe:BaseUrl"] = poe.AbsoluteUri;
        settings["Poe:ApiKey"] = PoeKey;
        settings["Clients:studio:PoeApiKey"] = StudioPoeKey;
        settings["Dashboard:Username"] = DashboardUser;
        settings["Dashboard:Password"] = DashboardPassword;
        // Configuration arrays merge by index: all seven entries of appsettings.json's schedule are replaced.
        for (var i = 0; i < 7; i++)
        {
            settings[$"Webhooks:RetrySchedule:{i}"] = "00:00:00.2";
        }

        settings["Logging:Console:FormatterName"] = "json";
        settings["Logging:Console:FormatterOptions:IncludeScopes"] = "true";
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Database.Command", "Hangfire", "System.Net.Http.HttpClient", "Npgsql" })
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }

        return settings;
    }

    private static string Secret(string what) => $"{what}_secret_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
}
