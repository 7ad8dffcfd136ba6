using System.Diagnostics;
using Poe.WebhookBridge.Tests.Support;
using Poe.WebhookBridge.Tests.Support.Contract;

namespace Poe.WebhookBridge.Tests.Operations.OpenApi;

/// <summary>The committed Kiota client is what scripts/generate-client.sh makes from the document the bridge serves today.</summary>
public sealed class ClientDriftTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    private static readonly string Committed = Path.Combine(Repository.Root, "src", "Poe.WebhookBridge.Client", "Generated");

    [Fact]
    public async Task The_committed_client_is_the_one_generated_from_the_served_document()
    {
        var work = Directory.CreateTempSubdirectory("bridge-client-");
        try
        {
            var document = Path.Combine(work.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, (await ContractDocument.Current).Json);
            var fresh = Path.Combine(work.FullName, "Generated");

            await GenerateAsync(document, fresh);

            var expected = Files(fresh);
            var actual = Files(Committed);
            Assert.True(expected.Keys.SequenceEqual(actual.Keys), $"Files differ; run scripts/generate-client.sh. Missing: {string.Join(", ", expected.Keys.Except(actual.Keys))}; extra: {string.Join(", ", actual.Keys.Except(expected.Keys))}");
            var changed = expected.Where(f => f.Value != actual[f.Key]).Select(f => f.Key).ToList();
            Assert.True(changed.Count == 0, $"The committed client has drifted from the served document; run scripts/generate-client.sh. Changed: {string.Join(", ", changed)}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task GenerateAsync(string document, string output)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "scripts", "generate-client.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        start.Environment["OPENAPI_DOCUMENT"] = document;
        start.Environment["CLIENT_OUT"] = output;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"generate-client.sh failed ({process.ExitCode}): {await stdout}{await stderr}");
    }

    private static SortedDictionary<string, string> Files(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => File.ReadAllText(f).ReplaceLineEndings("\n")), StringComparer.Ordinal);
}
