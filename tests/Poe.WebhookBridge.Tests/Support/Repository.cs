namespace Poe.WebhookBridge.Tests.Support;

/// <summary>The checkout the tests run from, for tests about its files and scripts.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Poe.WebhookBridge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Poe.WebhookBridge.sln above {AppContext.BaseDirectory}.");
    }
}
