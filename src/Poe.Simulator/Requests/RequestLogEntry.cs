using System.Collections.Concurrent;

namespace Poe.Simulator.Requests;

/// <summary>One request as the simulator saw it; <see cref="KeyId"/> is a hash prefix, never the key.</summary>
/// <param name="Operation"><c>poll</c>, <c>create</c>, <c>remix</c>, <c>extend</c> or <c>content</c>.</param>
public sealed record RequestLogEntry(long AtMs, string? KeyId, string VideoId, int Status, string Operation = RequestLog.Poll);
