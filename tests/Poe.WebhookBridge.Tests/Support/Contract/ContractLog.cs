namespace Poe.WebhookBridge.Tests.Support.Contract;

/// <summary>The contract violations one test bridge has seen; checked again when the bridge is disposed, in case a test swallowed one.</summary>
public sealed class ContractLog
{
    private readonly List<string> _violations = [];

    public ContractViolationException Record(string what, IReadOnlyList<string> errors, string body)
    {
        var violation = $"{what}: {string.Join("; ", errors)}\n  body: {(body.Length > 2000 ? body[..2000] + "…" : body)}";
        lock (_violations)
        {
            _violations.Add(violation);
        }

        return new ContractViolationException($"The OpenAPI document rejects a body the bridge sent. {violation}");
    }

    /// <summary>Fails if any violation was recorded since the last check; each is reported once.</summary>
    public void AssertNone()
    {
        string[] seen;
        lock (_violations)
        {
            seen = [.. _violations];
            _violations.Clear();
        }

        Assert.True(seen.Length == 0, $"The OpenAPI document rejects {seen.Length} bodies the bridge sent:\n{string.Join("\n", seen)}");
    }
}

public sealed class ContractViolationException(string message) : Exception(message);
