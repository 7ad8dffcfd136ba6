using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>
/// The figures a reliability run ends with: in the test's output, and appended to
/// <c>BRIDGE_TEST_SUMMARY</c> (set by <c>scripts/test.sh</c>, which prints it at the end; else
/// <c>TestResults/reliability/summary.txt</c> under the repository).
/// </summary>
public static class Summary
{
    public static void Report(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        var file = Environment.GetEnvironmentVariable("BRIDGE_TEST_SUMMARY") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), "TestResults", "reliability", "summary.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.AppendAllLines(file, [line]);
    }

    public static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Poe.WebhookBridge.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root (Poe.WebhookBridge.sln) was not found.");
    }
}
