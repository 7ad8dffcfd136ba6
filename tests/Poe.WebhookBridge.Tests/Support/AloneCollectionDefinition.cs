namespace Poe.WebhookBridge.Tests.Support;

/// <summary>
/// Heavy, timing-sensitive runs: alone, after the parallel collections, so that a must-show figure measures the
/// bridge and not the other test classes sharing the machine's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollectionDefinition
{
    public const string Name = "alone";
}
