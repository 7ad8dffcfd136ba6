using System.Diagnostics;
using System.Globalization;
using System.Net;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Operations;

/// <summary>
/// The built <c>Poe.WebhookBridge.dll</c> run as its own process on a loopback port, configured by environment
/// variables as an operator would, with everything it writes to stdout and stderr kept for inspection.
/// </summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private BridgeProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>The operating system's id of the process, to read its resources from <c>/proc</c>.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Every line written so far, stdout and stderr interleaved in arrival order.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Starts the bridge with these settings (configuration keys, as in appsettings.json) and waits until it is live.</summary>
    public static async Task<BridgeProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{BridgeSettings.UnusedLoopbackPort()}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Poe.WebhookBridge.dll"));
        start.Environment["ASPNETCORE_URLS"] = baseUrl.AbsoluteUri;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var bridge = new BridgeProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => bridge.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => bridge.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await bridge.WaitUntilLiveAsync();
        return bridge;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl };

    /// <summary>
    /// Stops the bridge as a container runtime would (SIGTERM, so it shuts down gracefully and logs it; killed after
    /// 20 s) and waits until its output is drained, so <see cref="Output"/> is complete.
    /// </summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await terminate.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Kills the bridge with SIGKILL, as a crash or the OOM killer would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private async Task WaitUntilLiveAsync()
    {
        using var client = CreateClient();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            Assert.False(_process.HasExited, $"The bridge exited during start-up:\n{string.Join('\n', Output)}");
            try
            {
                using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The bridge was not live within 60 s:\n{string.Join('\n', Output)}");
            await Task.Delay(200);
        }
    }
}
