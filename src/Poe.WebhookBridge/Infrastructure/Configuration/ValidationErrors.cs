using Microsoft.Extensions.Options;

namespace Poe.WebhookBridge.Infrastructure.Configuration;

/// <summary>Collects failures as "Key: message" so a bad start-up names the configuration key to fix.</summary>
internal sealed class ValidationErrors
{
    private readonly List<string> _errors = [];

    public void Require(bool condition, string key, string message)
    {
        if (!condition)
        {
            _errors.Add($"{key}: {message}");
        }
    }

    public void Positive(TimeSpan value, string key) => Require(value > TimeSpan.Zero, key, "must be a positive duration.");

    public ValidateOptionsResult ToResult() => _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);
}
