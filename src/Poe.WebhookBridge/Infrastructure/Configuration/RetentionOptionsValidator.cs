using Microsoft.Extensions.Options;
using Poe.WebhookBridge.Operations;

namespace Poe.WebhookBridge.Infrastructure.Configuration;

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = new ValidationErrors();
        errors.Positive(options.Period, "Retention:Period");
        errors.Require(!string.IsNullOrWhiteSpace(options.Schedule), "Retention:Schedule", "must be a cron expression.");
        return errors.ToResult();
    }
}
