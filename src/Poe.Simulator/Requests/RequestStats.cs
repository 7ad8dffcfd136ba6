using System.Collections.Concurrent;

namespace Poe.Simulator.Requests;

/// <summary>Counts of logged polls; requests without a key are counted under "none".</summary>
public sealed record RequestStats(int Total, IReadOnlyDictionary<string, int> ByKeyId, IReadOnlyDictionary<string, int> ByStatus);
