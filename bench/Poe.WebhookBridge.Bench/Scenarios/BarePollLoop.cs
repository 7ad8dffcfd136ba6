using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Poe.WebhookBridge.Bench.Infrastructure;

namespace Poe.WebhookBridge.Bench.Scenarios;

/// <summary>
/// Scenario 2's first baseline: tasks GETting the videos in turn with one HttpClient (keys in turn, body parsed). It runs
/// as a process of its own (<see cref="BenchChild"/>, command <c>bare-loop</c>), so its CPU time per poll is its own and
/// not the simulator's, as the bridge's is.
/// </summary>
public static class BarePollLoop
{
    public const string Command = "bare-loop";

    public static async Task<(double PerSecond, double CpuMicrosecondsPerPoll)> MeasureAsync(
        string repo, Uri simulator, string keyPrefix, int keys, string videoPrefix, int videos, TimeSpan warmUp, TimeSpan window, int concurrency)
    {
        await using var child = BenchChild.Start(repo, Command,
            simulator.ToString(), keyPrefix, Text(keys), videoPrefix, Text(videos), Text(window.TotalSeconds), Text(concurrency), Text(warmUp.TotalSeconds));
        var output = await child.ReadToEndAsync();
        var figures = output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return figures.Length == 2 ? (figures[0], figures[1]) : throw new InvalidOperationException($"the bare loop printed: {output}");
    }

    /// <summary>The child: prints polls/s and CPU µs per poll over the window, after the warm-up (JIT, connections).</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var (simulator, keyPrefix, keys, videoPrefix, videos) = (new Uri(args[0]), args[1], Number(args[2]), args[3], Number(args[4]));
        var (window, concurrency) = (Seconds(args[5]), Number(args[6]));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = simulator };
        var polls = 0;
        async Task PollAsync(int i)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/videos/{videoPrefix}{i % videos}", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{keyPrefix}{i % keys:000}");
            using var response = await http.SendAsync(request);
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            _ = body.RootElement.GetProperty("status").GetString();
            Interlocked.Increment(ref polls);
        }

        using (var warm = new CancellationTokenSource(Seconds(args[7])))
        {
            await Load.ForAllAsync(int.MaxValue, concurrency, PollAsync, warm.Token);
        }

        using var self = Process.GetCurrentProcess();
        var (cpu, clock) = (self.TotalProcessorTime, Stopwatch.StartNew());
        Interlocked.Exchange(ref polls, 0);
        using (var stop = new CancellationTokenSource(window))
        {
            await Load.ForAllAsync(int.MaxValue, concurrency, PollAsync, stop.Token);
        }

        self.Refresh();
        var (done, elapsed) = (polls, clock.Elapsed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{done / elapsed.TotalSeconds} {(self.TotalProcessorTime - cpu).TotalMicroseconds / done}"));
        return 0;
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
