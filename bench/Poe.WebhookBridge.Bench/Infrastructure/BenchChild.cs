using System.Diagnostics;

namespace Poe.WebhookBridge.Bench.Infrastructure;

/// <summary>
/// This executable started again for one command (a baseline), as a process of its own: its CPU time, thread pool and GC
/// are its own, not shared with the bench's load generator, simulator or receiver. It starts as the bridge does — the
/// bridge's runtimeconfig.json (GC mode, thread-pool and other runtime settings) and
/// <see cref="BridgeProcess.RuntimeEnvironment"/> — so that the bridge and its baseline differ only in their code.
/// The child speaks on its standard output; its standard error goes to the bench's.
/// </summary>
public sealed class BenchChild : IAsyncDisposable
{
    private readonly Process _process;

    private BenchChild(Process process) => _process = process;

    public static BenchChild Start(string repo, string command, params IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (var arg in new[] { "exec", "--runtimeconfig", Path.ChangeExtension(BridgeProcess.Dll(repo), ".runtimeconfig.json"), typeof(BenchChild).Assembly.Location, command }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in BridgeProcess.RuntimeEnvironment)
        {
            info.Environment[key] = value;
        }

        return new BenchChild(Process.Start(info)!);
    }

    /// <summary>User and system CPU time the child has spent so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The child's next line of output; throws when it exits first or says nothing within <paramref name="timeout"/>.</summary>
    public async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        return await _process.StandardOutput.ReadLineAsync().WaitAsync(timeout)
            ?? throw new InvalidOperationException($"the bench's child {_process.StartInfo.ArgumentList[4]} exited with {await ExitCodeAsync()} before it was ready");
    }

    /// <summary>All the child's output once it exits; throws when it exits with an error.</summary>
    public async Task<string> ReadToEndAsync()
    {
        var output = await _process.StandardOutput.ReadToEndAsync();
        var code = await ExitCodeAsync();
        return code == 0 ? output : throw new InvalidOperationException($"the bench's child {_process.StartInfo.ArgumentList[4]} exited with {code}: {output}");
    }

    private async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Stops the child if it still runs (a server runs until then).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
