using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Polling;

namespace Poe.WebhookBridge.Infrastructure.Configuration;

internal sealed class PollingOptionsValidator : IValidateOptions<PollingOptions>
{
    public ValidateOptionsResult Validate(string? name, PollingOptions options)
    {
        var errors = new ValidationErrors();
        errors.Require(options.Interval >= TimeSpan.FromMilliseconds(100), "Polling:Interval", "must be at least 00:00:00.1.");
        errors.Require(options.MaxInterval >= options.Interval, "Polling:MaxInterval", "must not be shorter than Polling:Interval.");
        errors.Require(Enum.IsDefined(options.Strategy), "Polling:Strategy", "must be 'fixed' or 'adaptive'.");
        errors.Require(options.NotFoundGracePeriod >= TimeSpan.Zero, "Polling:NotFoundGracePeriod", "must not be negative.");
        errors.Positive(options.MaxWatchDuration, "Polling:MaxWatchDuration");
        return errors.ToResult();
    }
}
