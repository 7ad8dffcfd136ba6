using Poe.Simulator.Auth;
using Poe.Simulator.RateLimiting;

namespace Poe.Simulator;

/// <summary>What <see cref="PoeGate"/> decided about a request: its key, the budget it took, or why it may not go on.</summary>
/// <param name="Refusal">The status to log and the answer to give when the request may not go on.</param>
internal sealed record Admission(string? Key, RateLimitLease? Lease, (int Status, IResult Result)? Refusal)
{
    public string? KeyId => Key is null ? null : ApiKeys.KeyId(Key);
}
