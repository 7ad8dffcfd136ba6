using Xunit.Abstractions;

namespace Poe.WebhookBridge.ReliabilityTests.Support;

/// <summary>
/// The figures a reliability run ends with: in the test's output, and appended to
/// <c>TestResults/reliability/summary.txt</c> under the repository, which <c>scripts/test.sh</c> prints at the end.
/// </summary>
public static class Summary
{
    public static void Report(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        var folder = Path.Combine(RepositoryRoot(), "TestResults", "reliability");
        Directory.CreateDirectory(folder);
        File.AppendAllLines(Path.Combine(folder, "summary.txt"), [$"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z {line}"]);
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
