using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Poe.WebhookBridge.Bench.Infrastructure;

/// <summary>The bridge as a separate process (its Release build), configured only by environment variables.</summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    public const string ClientKey = "bench-client-key-0123456789";
    // Made per run: nothing that looks like a signing secret is committed.
    public static readonly string SigningSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The runtime's settings from the environment, beside those of the bridge's runtimeconfig.json: workstation GC (the
    /// Web SDK's default is server GC), production hosting, warnings only. <see cref="BenchChild"/> starts a baseline's
    /// process with them too, so both sides of a comparison run on the same runtime.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RuntimeEnvironment = new Dictionary<string, string>
    {
        ["Logging__LogLevel__Default"] = "Warning",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_gcServer"] = "0",
    };

    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _disposed;

    private BridgeProcess(Process process, StreamWriter log, Uri url)
    {
        (_process, _log, Url) = (process, log, url);
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    public static async Task<BridgeProcess> StartAsync(string repo, string name, string connectionString, Uri poeUrl, string poeKey, IDictionary<string, string> settings, string logDirectory)
    {
        var dll = Dll(repo);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the bridge first: dotnet build src/Poe.WebhookBridge -c Release", dll);
        }

        var clock = Stopwatch.StartNew();
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>(RuntimeEnvironment)
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Clients__bench__ApiKey"] = ClientKey,
            ["Clients__bench__SigningSecret"] = SigningSecret,
            ["Poe__BaseUrl"] = poeUrl.ToString(),
            ["Poe__ApiKey"] = poeKey,
            ["Webhooks__AllowHttp"] = "true",
            ["Webhooks__AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        Directory.CreateDirectory(logDirectory);
        var log = new StreamWriter(Path.Combine(logDirectory, name + ".log")) { AutoFlush = true };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bridge = new BridgeProcess(process, log, new Uri($"http://127.0.0.1:{port}"));
        await bridge.WaitReadyAsync(name, logDirectory);
        BenchContext.Say($"  bridge '{name}' ready in {clock.Elapsed.TotalSeconds:0.0} s");
        return bridge;
    }

    /// <summary>The bridge's Release build; its runtimeconfig.json lies beside it.</summary>
    public static string Dll(string repo) => Path.Combine(repo, "src/Poe.WebhookBridge/bin/Release/net10.0/Poe.WebhookBridge.dll");

    private async Task WaitReadyAsync(string name, string logDirectory)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"bridge '{name}' exited with {_process.ExitCode}; see {logDirectory}/{name}.log");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            // Start-ups take 2–4 s on a quiet machine and a run has a dozen: asking often keeps the wait close to the start-up.
            await Task.Delay(50);
        }

        throw new TimeoutException($"bridge '{name}' not ready after 90 s; see {logDirectory}/{name}.log");
    }

    /// <summary>Resident set size and total CPU time of the process, from /proc.</summary>
    public (long RssBytes, TimeSpan Cpu) Footprint()
    {
        _process.Refresh();
        return (_process.WorkingSet64, _process.TotalProcessorTime);
    }

    /// <summary>Stops the process; again is a no-op, so a scenario may stop a bridge before its baseline and still <c>await using</c> it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
