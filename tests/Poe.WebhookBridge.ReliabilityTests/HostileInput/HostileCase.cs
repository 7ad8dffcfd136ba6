using System.Net;

namespace Poe.WebhookBridge.ReliabilityTests.HostileInput;

/// <summary>One hostile request and the one status that answers it (always with a problem body).</summary>
/// <param name="Authenticated">Whether the client's valid key is added; false for the cases about credentials.</param>
public sealed record HostileCase(string Label, HttpStatusCode Expected, Func<HttpRequestMessage> Build, bool Authenticated = true);
