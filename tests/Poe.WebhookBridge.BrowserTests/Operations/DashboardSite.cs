using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.BrowserTests.Operations;

/// <summary>
/// The bridge on a real Kestrel socket over a fresh database, with dashboard credentials, and a headless Chromium
/// (Debian's, never a downloaded one) to look at it.
/// </summary>
public sealed class DashboardSite : IAsyncLifetime
{
    public const string Username = "operator";
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private string? _connectionString;
    private KestrelBridge? _bridge;
    private IPlaywright? _playwright;

    public string Password { get; } = "dash_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IServiceProvider Services => _bridge!.Services;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install chromium (.ci/run does).");
        _connectionString = await PostgresServer.CreateDatabaseAsync("browser");
        _bridge = new KestrelBridge(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _connectionString,
            ["Poe:ApiKey"] = "poe_browser_test_key",
            ["Poe:BaseUrl"] = $"http://127.0.0.1:{UnusedLoopbackPort()}",
            ["Clients:shop:ApiKey"] = "shop_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["Clients:shop:SigningSecret"] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Dashboard:Username"] = Username,
            ["Dashboard:Password"] = Password,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        _bridge.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _bridge.StartServer();
        var addresses = _bridge.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = new Uri(addresses.Addresses.Single());

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
        }

        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }

    /// <summary>A fresh browser context (its own cookies), with these Basic credentials or none.</summary>
    public Task<IBrowserContext> NewContextAsync(string? username, string? password) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.AbsoluteUri,
            HttpCredentials = username is null ? null : new HttpCredentials { Username = username, Password = password! },
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });

    private static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class KestrelBridge(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
