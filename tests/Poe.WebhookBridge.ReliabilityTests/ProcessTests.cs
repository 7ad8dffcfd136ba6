namespace Poe.WebhookBridge.ReliabilityTests;

/// <summary>
/// The tests that run bridge processes run one after another: each loads two shared cores with several processes,
/// and their timing checks would measure each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTests
{
    public const string Name = "bridge processes";
}
